package io.splicelab.model.store;

import io.splicelab.model.events.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 *
 * <p>Keys come from events, so they are hostile until checked: a key is a relative path of plain segments
 * (no {@code ..}, {@code .}, empty segment, backslash or control character, not absolute); before any read
 * or write the real path (symbolic links resolved) must lie under the real root, so a symbolic link inside
 * the store is never followed out of it; a read names a regular file (not a directory, a device or a
 * dangling link) whose size is checked against the reference before its bytes are read. Refusals are
 * {@link UnsafeArtifactReferenceException}s naming the reference and why.
 */
public final class LocalArtifactStore implements ArtifactStore {
    public static final String SCHEME = "artifact:";

    private final Path root;
    private final Path realRoot;

    public LocalArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
            this.realRoot = this.root.toRealPath();
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
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafeArtifactReferenceException(key, "it names a directory or something else than a regular file");
        }
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

    /**
     * Writes the content to a temporary file beside the target and moves it over the target atomically (where the
     * file system cannot, a plain replacing move): a reader sees the old file or the new one, and a crash leaves at
     * most a {@code .tmp-} file, which listings skip.
     */
    @Override
    public ArtifactRef replace(String key, byte[] content, String mediaType) {
        Path target = resolve(key);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafeArtifactReferenceException(key, "it names a directory or something else than a regular file");
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
            try {
                Files.write(tmp, content);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write artifact " + key, e);
        }
        return new ArtifactRef(SCHEME + key, content.length, sha256(content), mediaType);
    }

    private ArtifactRef checkSame(Path target, ArtifactRef ref) throws IOException {
        byte[] existing = readRegularFile(target, ref.uri(), ref.size());
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
        if (ref.size() < 0 || ref.sha256() == null) {
            throw new ArtifactIntegrityException("artifact reference " + ref.uri() + " has no size or sha256");
        }
        Path path = resolve(ref.uri().substring(SCHEME.length()), ref.uri());
        byte[] content;
        try {
            content = readRegularFile(path, ref.uri(), ref.size());
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
            return readRegularFile(resolve(key), key, -1);
        } catch (NoSuchFileException e) {
            throw new ArtifactIntegrityException("artifact " + key + " is missing", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + key, e);
        }
    }

    /**
     * Reads a file already resolved by {@link #resolve}: it must be a regular file (the real path has no link
     * left, and the last segment is opened without following one, so a link swapped in meanwhile fails). With an
     * expected size, a longer file is refused before its bytes are read (a reference never makes us read more
     * than it announced).
     */
    private static byte[] readRegularFile(Path path, String reference, long expectedSize) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (attributes.isDirectory()) {
            throw new UnsafeArtifactReferenceException(reference, "it names a directory, not an artifact");
        }
        if (!attributes.isRegularFile()) {
            throw new UnsafeArtifactReferenceException(reference, "it names something else than a regular file");
        }
        if (expectedSize >= 0 && attributes.size() != expectedSize) {
            throw new ArtifactIntegrityException("artifact " + reference + " has " + attributes.size()
                    + " bytes, expected " + expectedSize);
        }
        if (attributes.size() > Integer.MAX_VALUE - 8) {
            throw new ArtifactIntegrityException("artifact " + reference + " is too large to read (" + attributes.size()
                    + " bytes)");
        }
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(path, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            return in.readAllBytes();
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public List<String> list(String prefix) {
        Path dir = resolve(prefix);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            // a symbolic link is never listed (nor followed: walk does not follow links)
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).filter(p -> !p.getFileName().toString().startsWith(".tmp-"))
                    .map(p -> realRoot.relativize(p).toString().replace('\\', '/')).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void deleteAll(String prefix) {
        Path dir = resolve(prefix);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
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
        return resolve(key, key);
    }

    /**
     * The real path of a key inside the store, refusing (before any read or write) a key that is malformed or
     * leads out of the store: lexically ({@code ..}, absolute) or through a symbolic link anywhere on its path.
     * A path that does not exist yet is resolved from its deepest existing ancestor, whose real path must lie
     * under the real root; what is below it does not exist, so holds no link.
     *
     * @param reference what to name in a refusal (the key, or the {@code artifact:} URI it came from)
     */
    private Path resolve(String key, String reference) {
        if (key == null || key.isBlank()) {
            throw new UnsafeArtifactReferenceException(reference, "the key is empty");
        }
        if (key.startsWith("/") || key.indexOf('\\') >= 0 || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new UnsafeArtifactReferenceException(reference,
                    "a key is a relative path of plain names (no leading '/', backslash or control character)");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new UnsafeArtifactReferenceException(reference,
                        "a key has no empty, '.' or '..' segment (it would leave its place in the store)");
            }
        }
        Path lexical = realRoot.resolve(key).normalize();
        if (!lexical.startsWith(realRoot) || lexical.equals(realRoot)) {
            throw new UnsafeArtifactReferenceException(reference, "it resolves outside the artifact store");
        }
        Path existing = lexical;
        while (!existing.equals(realRoot) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (NoSuchFileException e) {
            throw new UnsafeArtifactReferenceException(reference, "a symbolic link on its path leads nowhere");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve artifact " + reference, e);
        }
        if (!real.startsWith(realRoot) || real.equals(realRoot) && !existing.equals(realRoot)) {
            throw new UnsafeArtifactReferenceException(reference,
                    "a symbolic link on its path leads outside the artifact store");
        }
        Path resolved = real.resolve(existing.relativize(lexical)).normalize();
        if (!resolved.startsWith(realRoot) || resolved.equals(realRoot)) {
            throw new UnsafeArtifactReferenceException(reference, "it resolves outside the artifact store");
        }
        return resolved;
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
