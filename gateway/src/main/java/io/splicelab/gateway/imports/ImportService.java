package io.splicelab.gateway.imports;

import io.splicelab.edge.publish.ContractPublisher;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.splicelab.edge.problem.Problem;
import io.splicelab.edge.problem.Problem.FieldProblem;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.gateway.readmodel.DeletedRunEntity;
import io.splicelab.gateway.readmodel.RunEntity;
import io.splicelab.gateway.readmodel.RunStatus;
import io.splicelab.model.data.DatasetInfo;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EvalPlan;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.events.RunIds;
import io.splicelab.model.imports.ImportManifest;
import io.splicelab.model.imports.InvalidManifestException;
import io.splicelab.model.store.ArtifactIntegrityException;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.model.values.BnMode;
import io.splicelab.model.values.EvalSubset;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Imports a checkpoint trained elsewhere (a zip of ONNX segments and {@code manifest.json}): validates the request,
 * the archive and the manifest against the named dataset, writes the files and the import record to the artifact
 * store, records the run in the read model and publishes {@code checkpoint.imported} on {@code splicelab.checkpoints},
 * where the splicer grows the run's grid like for a created checkpoint. Several imports with different steps into
 * the same run name grow that run.
 */
@ApplicationScoped
public class ImportService {
    private static final Logger LOG = Logger.getLogger(ImportService.class);
    private static final Pattern RUN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /** The architecture an imported run records in its configuration. */
    public static final String ARCHITECTURE = "onnx";
    private static final long MB = 1024L * 1024;

    private final ContractPublisher publisher;
    private final LocalArtifactStore store;
    private final ImportArchive.Limits limits;
    private final Path tmpDir;

    public ImportService(ContractPublisher publisher,
            @ConfigProperty(name = "splicelab.artifacts.dir", defaultValue = "./.splicelab/artifacts") Path artifactsDir,
            @ConfigProperty(name = "splicelab.imports.max-files", defaultValue = "256") int maxFiles,
            @ConfigProperty(name = "splicelab.imports.max-file-mb", defaultValue = "128") long maxFileMb,
            @ConfigProperty(name = "splicelab.imports.max-total-mb", defaultValue = "256") long maxTotalMb,
            @ConfigProperty(name = "splicelab.imports.max-archive-mb", defaultValue = "256") long maxArchiveMb,
            @ConfigProperty(name = "splicelab.imports.max-expansion-ratio", defaultValue = "50") long maxRatio,
            @ConfigProperty(name = "splicelab.imports.tmp-dir") Optional<Path> tmpDir) {
        this.publisher = publisher;
        this.store = new LocalArtifactStore(artifactsDir);
        this.limits = new ImportArchive.Limits(maxFiles, maxFileMb * MB, maxTotalMb * MB, maxArchiveMb * MB, maxRatio);
        this.tmpDir = tmpDir.orElse(Path.of(System.getProperty("java.io.tmpdir"), "splicelab-imports"));
    }

    /**
     * What the import request says besides the archive.
     *
     * @param evalSubset {@code stratified} (default), {@code first} or {@code indices} (the run configuration's field)
     * @param evalIndices with {@code indices}: the indices into the test split as text, separated by commas and/or
     *     white space ({@code 3,17,42})
     * @param evalSets the evaluation sets, comma-separated (the run configuration's field; null: the run's earlier
     *     imports', else the default {@link EvalPlan#defaultEvalSets} without label noise)
     * @param bnModes the BatchNorm modes, comma-separated: only {@code carry} applies to an imported network
     * @param cuts the cuts, comma-separated, cuts of the manifest (null: the earlier imports', else all of the
     *     manifest's)
     */
    public record ImportRequest(String run, String dataset, Integer evalSize, Long seed, String evalSubset,
            String evalIndices, String evalSets, String bnModes, String cuts) {
        /** A request without an evaluation plan: the defaults. */
        public ImportRequest(String run, String dataset, Integer evalSize, Long seed, String evalSubset,
                String evalIndices) {
            this(run, dataset, evalSize, seed, evalSubset, evalIndices, null, null, null);
        }
    }

    /**
     * The answer: the run, the imported step and its position among the run's imports, the test images its cells
     * will be evaluated on and the manifest's fields that were ignored.
     *
     * @param evalSubset the test images, described (e.g. {@code first size=500})
     */
    public record ImportAccepted(String runId, int step, int index, String dataset, int evalSize, long seed,
            @Schema(description = "The fields of manifest.json that are not part of the manifest format, by their "
                    + "JSON path (e.g. input.scale, segments[1].source): ignored, the import went on without them")
            List<ImportManifest.Warning> warnings,
            @Schema(description = "The test images the checkpoint is evaluated on, e.g. 'first size=500', "
                    + "'stratified size=500 seed=1' or 'indices size=37 sha256=1f0c9a2b3d4e5f60'")
            String evalSubset,
            @Schema(description = "The evaluation sets of the run's grid, e.g. [test, train, gaussian_noise-3, fog-3, "
                    + "contrast-3]; null for a run imported before the plan (the splicer's configured sets)")
            List<String> evalSets,
            @Schema(description = "The BatchNorm modes of the run's grid: [carry]") List<String> bnModes,
            @Schema(description = "The cuts of the run's grid, cuts of the manifest") List<String> cuts) {
    }

    /** The evaluation an import asks for, resolved and checked: what an earlier import of the run must share. */
    private record Evaluation(String dataset, int evalSize, long seed, String subset, List<Integer> indices,
            EvalPlan plan) {
        static Evaluation of(CheckpointImported e) {
            return new Evaluation(e.dataset(), e.evalSize() == null ? -1 : e.evalSize(),
                    e.seed() == null ? Long.MIN_VALUE : e.seed(), EvalSubset.of(e.evalSubset(), e.evalIndices()).wire(),
                    e.evalIndices() == null || e.evalIndices().isEmpty() ? null : e.evalIndices(), e.evalPlan());
        }

        String describe() {
            return EvalSubset.parse(subset).describe(evalSize, seed, indices);
        }
    }

    /**
     * The same import again (same step, evaluation and files) is announced again and accepted, so a client can
     * retry after a 503.
     *
     * @throws ProblemException 400 naming the problem (request, archive or manifest), 409 when the run exists as a
     *     trained run, was deleted, has other files at this step already or was imported with another dataset, 413
     *     for an archive over the limits, 503 when Kafka does not take the event
     */
    public ImportAccepted importZip(InputStream zip, ImportRequest request) {
        if (zip == null) {
            throw invalid("body", "a zip archive is required (manifest.json and one ONNX file per segment)");
        }
        Path spooled = guarded(() -> ImportArchive.spool(zip, tmpDir, limits));
        try {
            return importZip(spooled, request);
        } finally {
            ImportArchive.deleteQuietly(spooled);
        }
    }

    /**
     * Imports an archive that is a file already (a multipart upload, or a spooled body); the file is only read.
     *
     * @see #importZip(InputStream, ImportRequest)
     */
    public ImportAccepted importZip(Path zip, ImportRequest request) {
        try (ImportArchive.Contents contents = guarded(() -> ImportArchive.read(zip, tmpDir, limits))) {
            return importContents(contents, request);
        }
    }

    /** Turns the archive's own problems into 400 / 413 problems. */
    private static <T> T guarded(java.util.function.Supplier<T> reading) {
        try {
            return reading.get();
        } catch (ImportArchive.ArchiveException e) {
            if (e.tooLarge()) {
                throw new ProblemException(new Problem(Problem.TYPE_BASE + "import-too-large", "Import too large", 413,
                        e.getMessage(), null));
            }
            throw invalid("archive", e.getMessage());
        } catch (InvalidManifestException e) {
            throw invalid(ImportManifest.FILE, e.getMessage());
        }
    }

    private ImportAccepted importContents(ImportArchive.Contents contents, ImportRequest request) {
        ImportManifest manifest = contents.manifest();
        String runId = request.run() != null && !request.run().isBlank() ? request.run().strip() : manifest.run();
        if (runId == null || !RUN_NAME.matcher(runId).matches()) {
            throw invalid("run", "a run name of 1 to 64 letters, digits, '.', '_' or '-' (starting with a letter or "
                    + "digit) is required, in the request or as the manifest's \"run\"; got " + runId);
        }
        if (request.dataset() == null || request.dataset().isBlank()) {
            throw invalid("dataset", "the evaluation dataset is required; known: " + RunConfig.DATASETS);
        }
        DatasetInfo info = DatasetInfo.of(request.dataset()).orElseThrow(
                () -> invalid("dataset", "unknown dataset " + request.dataset() + "; known: " + RunConfig.DATASETS));
        if (info.channels() != manifest.channels() || info.height() != manifest.height()
                || info.width() != manifest.width()) {
            throw invalid("dataset", "dataset " + info.name() + " has images of shape [" + info.channels() + ", "
                    + info.height() + ", " + info.width() + "] but the manifest's input.shape is "
                    + manifest.input().shape());
        }
        if (info.numClasses() != manifest.numClasses()) {
            throw invalid("dataset", "dataset " + info.name() + " has " + info.numClasses()
                    + " classes but the manifest's numClasses is " + manifest.numClasses());
        }
        int step = manifest.step();
        List<CheckpointImported> earlier = imports(runId);
        Evaluation evaluation = evaluation(request, info, plan(request, info, manifest, earlier));
        int evalSize = evaluation.evalSize();
        long seed = evaluation.seed();

        CheckpointImported same = earlier.stream().filter(e -> e.step() == step && sameImport(e, contents,
                evaluation)).findFirst().orElse(null);
        if (same != null) {
            // the same import again (e.g. after a 503): announce it again; the splicer skips what it has evaluated
            publishOrFail(same, Instant.ofEpochMilli(System.currentTimeMillis()));
            return accepted(runId, step, same.index(), evaluation, contents.warnings());
        }
        checkRun(runId, step, evaluation, earlier);

        List<ArtifactRef> segments = new ArrayList<>();
        List<String> created = new ArrayList<>();
        ArtifactRef manifestRef;
        try {
            manifestRef = putFile(runId, step, ImportManifest.FILE, contents, "application/json", created);
            for (ImportManifest.Segment s : manifest.segments()) {
                segments.add(putFile(runId, step, s.file(), contents, "application/onnx", created));
            }
        } catch (RuntimeException e) {
            created.forEach(store::deleteAll); // nothing of a failed import stays in the store
            if (e instanceof ArtifactIntegrityException) {
                throw ProblemException.conflict("run " + runId + " already has other files at step " + step);
            }
            throw e;
        }
        int index = (int) earlier.stream().filter(e -> e.step() < step).count();
        EvalPlan plan = evaluation.plan();
        CheckpointImported imported = new CheckpointImported(runId, step, index, info.name(), evalSize, seed,
                manifest, manifestRef, segments, evaluation.subset(), evaluation.indices(), plan.evalSets(),
                plan.bnModes(), plan.cuts());
        store.put(RunArtifacts.importRecord(runId, step),
                EventCodec.toJson(imported).getBytes(StandardCharsets.UTF_8), "application/json");
        // millisecond precision, like the databases keep it: the event's time is the run's creation time
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        recordRun(runId, importedConfig(info.name(), evalSize, seed).withEvalSubset(evaluation.subset(),
                evaluation.indices()).withEvalPlan(plan), now);
        publishOrFail(imported, now);
        LOG.infof("run %s: imported checkpoint at step %d (%d segments, dataset %s, %s, %d manifest fields ignored)",
                runId, step, manifest.segments().size(), info.name(), evaluation.describe(), contents.warnings().size());
        return accepted(runId, step, index, evaluation, contents.warnings());
    }

    private static ImportAccepted accepted(String runId, int step, int index, Evaluation evaluation,
            List<ImportManifest.Warning> warnings) {
        EvalPlan plan = evaluation.plan();
        return new ImportAccepted(runId, step, index, evaluation.dataset(), evaluation.evalSize(), evaluation.seed(),
                warnings, evaluation.describe(), plan.evalSets(), plan.bnModes(), plan.cuts());
    }

    /**
     * The evaluation plan of the request, checked by the run configuration's rules ({@link EvalPlan#problems}) with
     * what an import is: no label noise known (so no {@code train-noisy}; {@code train} is the dataset's training
     * split with its true labels), only mode {@code carry} (an imported network carries its own BatchNorm
     * statistics) and the manifest's cuts. A list the request leaves out is the run's earlier imports' (a run has one
     * plan), else the default: {@link EvalPlan#defaultEvalSets} without label noise, {@code carry}, every cut of the
     * manifest.
     *
     * @throws ProblemException 400 naming the field
     */
    private static EvalPlan plan(ImportRequest request, DatasetInfo info, ImportManifest manifest,
            List<CheckpointImported> earlier) {
        EvalPlan asked = new EvalPlan(EvalPlan.split(request.evalSets()), EvalPlan.split(request.bnModes()),
                EvalPlan.split(request.cuts()));
        EvalPlan resolved = earlier.isEmpty()
                ? asked.orElse(new EvalPlan(EvalPlan.defaultEvalSets(0), EvalPlan.DEFAULT_BN_MODES, manifest.cuts()))
                : asked.orElse(earlier.get(0).evalPlan());
        for (RunConfig.FieldError e : resolved.problems(0, info.name(), manifest.cuts(), "the manifest",
                Set.of(BnMode.CARRY))) {
            throw invalid(e.field(), e.message());
        }
        return resolved;
    }

    /**
     * The evaluation subset of the request, checked: evalSize between the dataset's classes and its test split
     * (stratified and first), the subset and its indices by the run configuration's rules (indices: distinct, in
     * the test split, evalSize their number).
     *
     * @throws ProblemException 400 naming the field
     */
    private static Evaluation evaluation(ImportRequest request, DatasetInfo info, EvalPlan plan) {
        String subsetName = request.evalSubset() == null || request.evalSubset().isBlank() ? null
                : request.evalSubset().strip();
        List<Integer> indices = indices(request.evalIndices());
        RunConfig asked = importedConfig(info.name(), request.evalSize(), request.seed() == null ? 1L
                : request.seed()).withEvalSubset(subsetName, indices).withDefaults();
        for (RunConfig.FieldError e : asked.validate()) {
            if (e.field().equals("evalSubset") || e.field().equals("evalIndices")) {
                throw invalid(e.field(), e.message());
            }
        }
        boolean listed = asked.evalSubsetValue() == EvalSubset.INDICES;
        int evalSize = asked.evalSize();
        if (!listed && (evalSize < info.numClasses() || evalSize > info.testSize())) {
            throw invalid("evalSize", "must be between " + info.numClasses() + " and " + info.testSize() + " for "
                    + info.name() + ", got " + evalSize);
        }
        if (listed && evalSize != asked.evalIndices().size()) {
            throw invalid("evalSize", "must be the number of evalIndices (" + asked.evalIndices().size()
                    + ") or be left out, got " + evalSize);
        }
        return new Evaluation(info.name(), evalSize, asked.seed(), asked.evalSubset(), asked.evalIndices(), plan);
    }

    /**
     * The evalIndices of a request: integers separated by commas and/or white space; null when none.
     *
     * @throws ProblemException 400 naming {@code evalIndices} for a value that is no integer or too many values
     */
    static List<Integer> indices(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] parts = text.strip().split("[,\\s]+");
        if (parts.length > RunConfig.MAX_EVAL_INDICES) {
            throw invalid("evalIndices", "must list between " + RunConfig.MIN_EVAL_INDICES + " and "
                    + RunConfig.MAX_EVAL_INDICES + " indices, got " + parts.length);
        }
        List<Integer> out = new ArrayList<>(parts.length);
        for (String part : parts) {
            try {
                out.add(Integer.valueOf(part));
            } catch (NumberFormatException e) {
                throw invalid("evalIndices", RunIds.quote(part) + " is not an index; write integers separated by "
                        + "commas, e.g. 3,17,42");
            }
        }
        return out;
    }

    private ArtifactRef putFile(String runId, int step, String file, ImportArchive.Contents contents, String mediaType,
            List<String> created) {
        String key = RunArtifacts.importedFile(runId, step, file);
        ArtifactFiles.Put put = ArtifactFiles.put(store, key, contents.files().get(file), mediaType);
        if (put.created()) {
            created.add(key);
        }
        return put.ref();
    }

    private void publishOrFail(CheckpointImported imported, Instant time) {
        try {
            publisher.publish(imported.runId(), imported, time);
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not publish the import of run %s step %d", imported.runId(), imported.step());
            throw ProblemException.unavailable("the import was stored but its event could not be sent to Kafka; "
                    + "send the same import again");
        }
    }

    /** Whether an earlier import is this one: same evaluation and byte-identical files. */
    private static boolean sameImport(CheckpointImported e, ImportArchive.Contents contents, Evaluation evaluation) {
        if (!evaluation.equals(Evaluation.of(e)) || e.segments().size() != contents.manifest().segments().size()) {
            return false;
        }
        if (!sha256(contents.files().get(ImportManifest.FILE)).equals(e.manifestFile().sha256())) {
            return false;
        }
        for (int i = 0; i < e.segments().size(); i++) {
            Path file = contents.files().get(contents.manifest().segments().get(i).file());
            if (!sha256(file).equals(e.segments().get(i).sha256())) {
                return false;
            }
        }
        return true;
    }

    private static String sha256(Path file) {
        try {
            return ArtifactFiles.sha256(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The configuration an imported run records: architecture {@code onnx} and what its evaluation depends on (the
     * evaluation subset is added with {@link RunConfig#withEvalSubset}).
     */
    static RunConfig importedConfig(String dataset, Integer evalSize, long seed) {
        return new RunConfig(ARCHITECTURE, null, dataset, null, null, null, null, null, seed, null, evalSize);
    }

    private void checkRun(String runId, int step, Evaluation evaluation, List<CheckpointImported> earlier) {
        boolean deleted = QuarkusTransaction.requiringNew().call(() -> DeletedRunEntity.isDeleted(runId));
        if (deleted) {
            throw ProblemException.conflict("run " + runId + " was deleted; import under another run name");
        }
        if (!store.list(RunArtifacts.checkpointsPrefix(runId)).isEmpty()) {
            throw ProblemException.conflict("run " + runId + " is a trained run; import under another run name");
        }
        for (CheckpointImported e : earlier) {
            if (e.step() == step) {
                throw ProblemException.conflict("run " + runId + " already has an imported checkpoint at step " + step);
            }
            if (!Evaluation.of(e).equals(evaluation)) {
                EvalPlan plan = e.evalPlan();
                throw ProblemException.conflict("run " + runId + " is evaluated on dataset " + e.dataset()
                        + " (evalSize " + e.evalSize() + ", seed " + e.seed() + ", " + Evaluation.of(e).describe()
                        + ", evalSets " + plan.evalSets() + ", bnModes " + plan.bnModes() + ", cuts " + plan.cuts()
                        + "); import this checkpoint with the same or under another run name");
            }
        }
        boolean trained = QuarkusTransaction.requiringNew().call(() -> {
            RunEntity run = RunEntity.findById(runId);
            return run != null && (run.configJson == null || !run.configJson.contains("\"architecture\":\""
                    + ARCHITECTURE + "\""));
        });
        if (trained) {
            throw ProblemException.conflict("run " + runId + " exists and is not an imported run; import under "
                    + "another run name");
        }
    }

    private List<CheckpointImported> imports(String runId) {
        List<CheckpointImported> out = new ArrayList<>();
        for (String key : store.list(RunArtifacts.importsPrefix(runId))) {
            if (RunArtifacts.isImportRecord(key)) {
                try {
                    out.add(EventCodec.mapper().readValue(store.read(key), CheckpointImported.class));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read import record " + key, e);
                }
            }
        }
        return out;
    }

    /** The run in the read model at once (its Location answers before the event comes back), as COMPLETED. */
    private static void recordRun(String runId, RunConfig config, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> {
            RunEntity run = RunEntity.findById(runId);
            if (run == null) {
                run = new RunEntity();
                run.id = runId;
                run.status = RunStatus.COMPLETED;
                run.configJson = EventCodec.toJson(config);
                run.createdAt = now;
                run.updatedAt = now;
                run.persist();
            }
        });
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "invalid-import", "Invalid import", 400,
                field + ": " + message, List.of(new FieldProblem(field, message))));
    }
}
