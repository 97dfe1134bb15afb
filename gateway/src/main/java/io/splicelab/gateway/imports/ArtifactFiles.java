package io.splicelab.gateway.imports;

import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.store.ArtifactIntegrityException;
import io.splicelab.model.store.LocalArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Puts a file into the {@link LocalArtifactStore} by streaming it, with the store's conventions (reference
 * {@code artifact:<key>}, written to a temporary file beside the target and moved into place, the same content again
 * is the same reference, other content under an existing key is refused): the store's own {@code put} takes a
 * {@code byte[]}, which for an imported segment of hundreds of megabytes would not fit the gateway's heap.
 */
final class ArtifactFiles {
    private ArtifactFiles() {
    }

    /** What was put: the reference, and whether this call created the file (false: it was there already). */
    record Put(ArtifactRef ref, boolean created) {
    }

    static Put put(LocalArtifactStore store, String key, Path source, String mediaType) {
        Path root = store.root();
        Path target = root.resolve(key).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IllegalArgumentException("artifact key escapes the store: " + key);
        }
        try {
            ArtifactRef ref = new ArtifactRef(LocalArtifactStore.SCHEME + key, Files.size(source), sha256(source),
                    mediaType);
            Files.createDirectories(target.getParent());
            if (Files.exists(target)) {
                return new Put(checkSame(target, ref), false);
            }
            Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
            try {
                Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return new Put(checkSame(target, ref), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write artifact " + key, e);
        }
    }

    private static ArtifactRef checkSame(Path target, ArtifactRef ref) throws IOException {
        if (Files.size(target) != ref.size() || !sha256(target).equals(ref.sha256())) {
            throw new ArtifactIntegrityException("artifact " + ref.uri() + " already exists with other content");
        }
        return ref;
    }

    /** Hex sha256 of a file, read in a streaming way. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
