package io.splicelab.model.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the CIFAR binary version: fixed-size records of label byte(s) then 3072 bytes of a 32x32 image
 * as R, G, B planes. CIFAR-10 has one label byte; CIFAR-100 has the coarse then the fine label (the
 * fine label, 100 classes, is used).
 */
public final class CifarBinaryReader {
    private static final int IMAGE_BYTES = 3 * 32 * 32;

    private CifarBinaryReader() {
    }

    /**
     * @param labelBytes 1 for CIFAR-10, 2 for CIFAR-100
     */
    public static RawImages read(Path file, int labelBytes, int numClasses) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetUnavailableException("cannot read CIFAR file " + file + ": " + e.getMessage(), e);
        }
        int record = labelBytes + IMAGE_BYTES;
        if (data.length == 0 || data.length % record != 0) {
            throw new DatasetUnavailableException("malformed CIFAR binary file " + file + ": " + data.length
                    + " bytes is not a whole number of " + record + "-byte records");
        }
        int n = data.length / record;
        byte[] pixels = new byte[n * IMAGE_BYTES];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = data[i * record + labelBytes - 1] & 0xFF;
            if (label >= numClasses) {
                throw new DatasetUnavailableException("malformed CIFAR binary file " + file + ": label " + label
                        + " of record " + i + " is not below " + numClasses);
            }
            labels[i] = label;
            System.arraycopy(data, i * record + labelBytes, pixels, i * IMAGE_BYTES, IMAGE_BYTES);
        }
        return new RawImages(3, 32, 32, pixels, labels);
    }
}
