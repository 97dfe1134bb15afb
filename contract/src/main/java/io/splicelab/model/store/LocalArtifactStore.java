package io.splicelab.model.store;

import io.splicelab.model.events.ArtifactRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * An artifact store in a directory shared by the services (a volume under docker compose). References
 * are {@code artifact:<key>} URIs relative to the store's root, so services that mount the directory at
 * different paths agree on them. Writes go to a temporary file and are moved into place atomically, so a
 * reader never sees half an artifact.
 */
public final class LocalArtifactStore implements ArtifactStore {
    public static final String SCHEME = "artifact:";

    private final Path root;

    public LocalArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create artifact directory " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public ArtifactRef put(String key, byte[] content, String mediaType) {
        Path target = resolve(key);
        String sha = sha256(content);
        ArtifactRef ref = new ArtifactRef(SCHEME + key, content.length, sha, mediaType);
        try {
            Files.createDirectories(target.getParent());
            if (Files.exists(target)) {
                return checkSame(target, ref);
            }
            Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
            try {
                Files.write(tmp, content);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target);
                }
            } catch (FileAlreadyExistsException e) {
                return checkSame(target, ref);
            } finally {
                Files.deleteIfExists(tmp);
            }
            // ATOMIC_MOVE may replace a file written concurrently: verify what is there now
            return checkSame(target, ref);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write artifact " + key, e);
        }
    }

    private ArtifactRef checkSame(Path target, ArtifactRef ref) throws IOException {
        byte[] existing = Files.readAllBytes(target);
        if (!sha256(existing).equals(ref.sha256())) {
            throw new ArtifactIntegrityException("artifact " + ref.uri() + " already exists with other content");
        }
        return ref;
    }

    @Override
    public byte[] get(ArtifactRef ref) {
        if (ref == null || ref.uri() == null || !ref.uri().startsWith(SCHEME)) {
            throw new ArtifactIntegrityException("not a local artifact reference: " + ref);
        }
        Path path = resolve(ref.uri().substring(SCHEME.length()));
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ArtifactIntegrityException("artifact " + ref.uri() + " is missing", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + ref.uri(), e);
        }
        if (content.length != ref.size()) {
            throw new ArtifactIntegrityException("artifact " + ref.uri() + " has " + content.length
                    + " bytes, expected " + ref.size());
        }
        String sha = sha256(content);
        if (!sha.equals(ref.sha256())) {
            throw new ArtifactIntegrityException("artifact " + ref.uri() + " has sha256 " + sha + ", expected "
                    + ref.sha256());
        }
        return content;
    }

    @Override
    public byte[] read(String key) {
        try {
            return Files.readAllBytes(resolve(key));
        } catch (NoSuchFileException e) {
            throw new ArtifactIntegrityException("artifact " + key + " is missing", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public List<String> list(String prefix) {
        Path dir = resolve(prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".tmp-"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void deleteAll(String prefix) {
        Path dir = resolve(prefix);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path resolve(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("artifact key is empty");
        }
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("artifact key escapes the store: " + key);
        }
        return p;
    }

    /** Hex sha256 of the content. */
    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
