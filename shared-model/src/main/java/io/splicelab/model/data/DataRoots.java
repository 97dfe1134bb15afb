package io.splicelab.model.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where dataset files are looked for, in order: the run's {@code dataDir}, the system property
 * {@code splicelab.datasets.dir}, the environment variable {@code SPLICELAB_DATASETS_DIR}, then
 * {@code /usr/share/datasets} (where Debian's {@code dataset-fashion-mnist} installs), so the packaged
 * Fashion-MNIST is found without configuration. In each root a dataset is looked for in its own
 * sub-directory (e.g. {@code fashion-mnist/}) and then in the root itself.
 */
public final class DataRoots {
    public static final String PROPERTY = "splicelab.datasets.dir";
    public static final String ENV = "SPLICELAB_DATASETS_DIR";
    public static final Path SYSTEM = Path.of("/usr/share/datasets");

    private DataRoots() {
    }

    /** The data roots in search order, the configured one first. */
    public static List<Path> roots(String configured) {
        Set<Path> out = new LinkedHashSet<>();
        if (configured != null && !configured.isBlank()) {
            out.add(Path.of(configured));
        }
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            out.add(Path.of(prop));
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            out.add(Path.of(env));
        }
        out.add(SYSTEM);
        return new ArrayList<>(out);
    }

    /** The directories a dataset's files are looked for in, in order. */
    public static List<Path> candidates(DatasetInfo info, String configured) {
        List<Path> out = new ArrayList<>();
        for (Path root : roots(configured)) {
            out.add(root.resolve(info.directory()));
            out.add(root);
        }
        return out;
    }

    /**
     * The first directory holding every file of the split (IDX files also as {@code .gz}); empty when
     * none does.
     */
    public static Optional<Path> find(DatasetInfo info, String split, String configured) {
        for (Path dir : candidates(info, configured)) {
            if (info.files(split).stream().allMatch(f -> resolveFile(dir, f, info.idx()).isPresent())) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** A file in a directory, or its gzip-compressed variant when allowed. */
    public static Optional<Path> resolveFile(Path dir, String name, boolean gzipAllowed) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return Optional.of(plain);
        }
        Path gz = dir.resolve(name + ".gz");
        if (gzipAllowed && Files.isRegularFile(gz)) {
            return Optional.of(gz);
        }
        return Optional.empty();
    }

    /** The message of a missing dataset: expected files and every place looked in. */
    public static String missingMessage(DatasetInfo info, String split, String configured) {
        return "dataset " + info.name() + " (" + split + " split) not found: expected the files "
                + info.files(split) + (info.idx() ? " (or the same with .gz)" : "") + " in one of "
                + candidates(info, configured) + "; set the run's dataDir, -D" + PROPERTY + " or " + ENV
                + ", or enable download";
    }
}
