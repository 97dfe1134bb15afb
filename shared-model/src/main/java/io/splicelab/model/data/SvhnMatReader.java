package io.splicelab.model.data;

import java.io.IOException;
import java.nio.file.Path;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;

/**
 * Reads SVHN format 2 (cropped digits): a MAT 5 file with {@code X}, uint8 of 32 x 32 x 3 x N (MATLAB
 * column-major: row, column, channel, image) and {@code y}, N x 1 labels 1..10 where 10 means the digit
 * 0. Read with mfl-core, a maintained MAT-file library.
 */
public final class SvhnMatReader {
    private SvhnMatReader() {
    }

    public static RawImages read(Path file) {
        try (Mat5File mat = Mat5.readFromFile(file.toFile())) {
            Matrix x;
            Matrix y;
            try {
                x = mat.getMatrix("X");
                y = mat.getMatrix("y");
            } catch (RuntimeException e) {
                throw malformed(file, "variables X and y are required (" + e.getMessage() + ")");
            }
            int[] dims = x.getDimensions();
            if (dims.length != 4 || dims[2] != 3 || dims[0] <= 0 || dims[1] <= 0) {
                throw malformed(file, "X must be H x W x 3 x N, is " + java.util.Arrays.toString(dims));
            }
            int h = dims[0];
            int w = dims[1];
            int n = dims[3];
            if (y.getNumElements() != n) {
                throw malformed(file, "y has " + y.getNumElements() + " labels for " + n + " images");
            }
            int plane = h * w;
            byte[] pixels = new byte[n * 3 * plane];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) {
                    int src = (i * 3 + c) * plane;
                    int dst = (i * 3 + c) * plane;
                    for (int col = 0; col < w; col++) {
                        for (int row = 0; row < h; row++) {
                            pixels[dst + row * w + col] = x.getByte(src + col * h + row);
                        }
                    }
                }
            }
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                double v = y.getDouble(i);
                if (v != Math.rint(v) || v < 0 || v > 10) {
                    throw malformed(file, "label " + v + " at " + i + " is not in 0..10");
                }
                labels[i] = ((int) v) % 10;
            }
            return new RawImages(3, h, w, pixels, labels);
        } catch (IOException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
            throw malformed(file, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static DatasetUnavailableException malformed(Path file, String why) {
        return new DatasetUnavailableException("malformed SVHN .mat file " + file + ": " + why);
    }
}
