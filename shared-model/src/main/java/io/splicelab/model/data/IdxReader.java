package io.splicelab.model.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of the MNIST family (MNIST, Fashion-MNIST): big-endian, magic {@code 0x00000803}
 * for u8 images (n, rows, cols) and {@code 0x00000801} for u8 labels (n). A file may be gzip-compressed
 * (detected by its first bytes, whatever its name).
 */
public final class IdxReader {
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Reads an image file and its label file; they must agree on the count. */
    public static RawImages read(Path images, Path labels, int numClasses) {
        try (DataInputStream img = open(images); DataInputStream lab = open(labels)) {
            int magic = img.readInt();
            if (magic != IMAGES_MAGIC) {
                throw malformed(images, String.format("magic 0x%08x, expected 0x%08x (u8 images, 3 dims)", magic,
                        IMAGES_MAGIC));
            }
            int n = img.readInt();
            int rows = img.readInt();
            int cols = img.readInt();
            if (n < 0 || rows <= 0 || cols <= 0 || rows > 4096 || cols > 4096) {
                throw malformed(images, "bad dimensions " + n + "x" + rows + "x" + cols);
            }
            int labelMagic = lab.readInt();
            if (labelMagic != LABELS_MAGIC) {
                throw malformed(labels, String.format("magic 0x%08x, expected 0x%08x (u8 labels, 1 dim)",
                        labelMagic, LABELS_MAGIC));
            }
            int nl = lab.readInt();
            if (nl != n) {
                throw malformed(labels, nl + " labels for " + n + " images in " + images);
            }
            byte[] pixels = new byte[(int) ((long) n * rows * cols)];
            img.readFully(pixels);
            if (img.read() != -1) {
                throw malformed(images, "trailing bytes after " + n + " images");
            }
            byte[] raw = new byte[n];
            lab.readFully(raw);
            int[] l = new int[n];
            for (int i = 0; i < n; i++) {
                l[i] = raw[i] & 0xFF;
                if (l[i] >= numClasses) {
                    throw malformed(labels, "label " + l[i] + " at " + i + " is not below " + numClasses);
                }
            }
            return new RawImages(1, rows, cols, pixels, l);
        } catch (EOFException e) {
            throw new DatasetUnavailableException("malformed IDX file (truncated): " + images + " / " + labels, e);
        } catch (IOException e) {
            throw new DatasetUnavailableException("cannot read IDX files " + images + ", " + labels + ": "
                    + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return new DataInputStream(in);
    }

    private static DatasetUnavailableException malformed(Path file, String why) {
        return new DatasetUnavailableException("malformed IDX file " + file + ": " + why);
    }
}
