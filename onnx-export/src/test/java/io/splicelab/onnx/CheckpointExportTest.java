package io.splicelab.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.imports.ImportManifest;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.store.LocalArtifactStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * An export is the checkpoint it came from: every segment, run by ONNX Runtime on what the DJL network feeds it,
 * computes what the DJL segment computes, for every architecture, at the default cuts and at every cut; and its
 * manifest is the documented format, with the normalisation given, exactly.
 */
class CheckpointExportTest {
    static final float[] MEAN = {0.4914f, 0.4822f, 0.4465f};
    static final float[] STD = {0.2470f, 0.2435f, 0.2616f};
    static final double TOLERANCE = 1e-4;

    static float[] mean(NetworkSpec spec) {
        return Arrays.copyOf(MEAN, spec.channels());
    }

    static float[] std(NetworkSpec spec) {
        return Arrays.copyOf(STD, spec.channels());
    }

    /** Every cut position once: the finest export. */
    static List<String> everyCut(NetworkLayout layout) {
        return layout.segmentNames().subList(0, layout.segments().size() - 1);
    }

    @Test
    void everySegmentComputesWhatItsDjlSegmentComputes() throws OrtException {
        for (NetworkSpec spec : NetworkLayoutTest.SPECS) {
            NetworkLayout layout = NetworkLayout.of(spec);
            byte[] params = DjlNetworks.checkpoint(spec, 2);
            for (List<String> cuts : List.of(List.<String>of(), everyCut(layout))) {
                ExportedCheckpoint export = CheckpointExport.export(spec, params, cuts, "r", 60, mean(spec),
                        std(spec), null);
                try (NDManager m = NDManager.newBaseManager()) {
                    CutNetwork net = Checkpoints.load(spec, params, m);
                    NDArray x = DjlNetworks.images(m, spec, 5, 3);
                    int from = 0;
                    for (ImportManifest.Segment s : export.manifest().segments()) {
                        String where = spec + " " + s.name();
                        int to = s.name().equals(CheckpointExport.HEAD) ? layout.segments().size()
                                : layout.cutIndex(s.name());
                        NDArray want = DjlNetworks.forward(net, m, x, from, to);
                        Run got = run(export.files().get(s.file()), x.toFloatArray(), x.getShape().getShape());
                        assertArrayEquals(want.getShape().getShape(), got.shape(), where);
                        assertEquals(batch(x.getShape().getShape()), s.input(), where + ": the declared input");
                        assertEquals(batch(want.getShape().getShape()), s.output(), where + ": the declared output");
                        assertEquals(LocalArtifactStore.sha256(export.files().get(s.file())), s.sha256(), where);
                        assertClose(want.toFloatArray(), got.values(), where);
                        if (from == 0) {
                            assertArrayEquals(new long[] {-1, spec.channels(), spec.height(), spec.width()},
                                    got.inputShape(), where + ": a batch of any size");
                        }
                        x = want;
                        from = to;
                    }
                    assertEquals(layout.segments().size(), from, spec + ": the segments make the whole network");
                }
            }
        }
    }

    @Test
    void theManifestIsTheDocumentedFormatAndTheZipHoldsEveryFileOnce() throws IOException {
        NetworkSpec spec = new NetworkSpec("resnet20", 0.25, 3, 32, 32, 10);
        Map<String, Object> source = Map.of("framework", "splicelab (DJL)", "run", "my-run");
        ExportedCheckpoint export = CheckpointExport.export(spec, DjlNetworks.checkpoint(spec, 1), null, "my-run", 40,
                MEAN, STD, source);
        ImportManifest.Parsed parsed = ImportManifest.read(export.files().get(ImportManifest.FILE));
        assertEquals(List.of(), parsed.warnings(), "only fields of the format");
        ImportManifest m = parsed.manifest();
        assertEquals(export.manifest(), m);
        assertEquals(CheckpointExport.FORMAT, m.format());
        assertEquals("resnet20", m.architecture());
        assertEquals(source, m.source());
        assertEquals(List.of("N", 3, 32, 32), m.segments().get(0).input());
        assertEquals(List.of("N", 4, 32, 32), m.segments().get(0).output());
        assertEquals(List.of("N", 8, 16, 16), m.segments().get(3).input());
        assertEquals(List.of("N", 10), m.segments().get(3).output());
        assertEquals("my-run", m.run());
        assertEquals(40, m.step());
        assertEquals(10, m.numClasses());
        assertEquals(List.of(3, 32, 32), m.input().shape());
        assertEquals(List.of(0.4914, 0.4822, 0.4465), m.input().mean(), "the shortest decimals");
        assertArrayEquals(MEAN, m.mean(), "read as floats: the very values");
        assertArrayEquals(STD, m.std());
        assertEquals(List.of("stem", "stage1", "stage2"), m.cuts(), "the default cuts");
        assertEquals(List.of("stem", "stage1", "stage2", "head"),
                m.segments().stream().map(ImportManifest.Segment::name).toList());
        assertEquals(List.of("stem.onnx", "stage1.onnx", "stage2.onnx", "head.onnx"),
                m.segments().stream().map(ImportManifest.Segment::file).toList());

        Map<String, byte[]> unzipped = unzip(export.zip());
        assertEquals(List.of(ImportManifest.FILE, "stem.onnx", "stage1.onnx", "stage2.onnx", "head.onnx"),
                List.copyOf(unzipped.keySet()));
        for (Map.Entry<String, byte[]> e : export.files().entrySet()) {
            assertArrayEquals(e.getValue(), unzipped.get(e.getKey()), e.getKey());
        }
        assertArrayEquals(export.zip(), CheckpointExport.export(spec, DjlNetworks.checkpoint(spec, 1), null, "my-run",
                40, MEAN, STD, source).zip(), "the same checkpoint exports to the same bytes");
    }

    @Test
    void cutsAreTheArchitecturesInDepthOrderEachPositionOnce() {
        NetworkLayout resnet = NetworkLayout.of(new NetworkSpec("resnet20", 0.25, 3, 32, 32, 10));
        assertEquals(List.of("stem", "s2b1", "stage2"), CheckpointExport.cuts(resnet, List.of("stage2", "stem",
                "s2b1")));
        assertEquals(List.of("stem", "stage1", "stage2"), CheckpointExport.cuts(resnet, List.of()));
        IllegalArgumentException alias = assertThrows(IllegalArgumentException.class,
                () -> CheckpointExport.cuts(resnet, List.of("stage1", "s1b3")));
        assertTrue(alias.getMessage().contains("'stage1' and 's1b3' are the same cut"), alias.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> CheckpointExport.cuts(resnet, List.of("stem", "stem")));
        assertTrue(twice.getMessage().contains("'stem' is named twice"), twice.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> CheckpointExport.cuts(resnet, List.of("conv1")));
        assertTrue(unknown.getMessage().contains("'conv1' is not a cut of resnet20"), unknown.getMessage());
        NetworkLayout cnn = NetworkLayout.of(new NetworkSpec("cnn", 0.25, 1, 28, 28, 10));
        assertEquals(List.of("conv1", "conv2", "fc1"), CheckpointExport.cuts(cnn, null));
    }

    /** A shape as a manifest declares a batch of it: {@code ["N", 16, 32, 32]}. */
    static List<Object> batch(long[] shape) {
        List<Object> out = new java.util.ArrayList<>();
        out.add("N");
        for (int i = 1; i < shape.length; i++) {
            out.add((int) shape[i]);
        }
        return out;
    }

    record Run(long[] inputShape, long[] shape, float[] values) {
    }

    /** Runs a one-input, one-output model on the CPU. */
    static Run run(byte[] model, float[] input, long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(model, options)) {
            assertEquals(1, session.getNumInputs());
            assertEquals(1, session.getNumOutputs());
            String name = session.getInputNames().iterator().next();
            long[] declared = ((TensorInfo) session.getInputInfo().get(name).getInfo()).getShape();
            try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                    OrtSession.Result result = session.run(Map.of(name, x))) {
                OnnxTensor out = (OnnxTensor) result.get(0);
                FloatBuffer b = out.getFloatBuffer();
                float[] values = new float[b.remaining()];
                b.get(values);
                return new Run(declared, out.getInfo().getShape(), values);
            }
        }
    }

    static void assertClose(float[] want, float[] got, String where) {
        assertEquals(want.length, got.length, where);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], TOLERANCE * Math.max(1, Math.abs(want[i])), where + " [" + i + "]");
        }
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }
}
