package io.splicelab.model.data;

/**
 * Images as read from an official file, before normalisation: unsigned bytes in NCHW order and
 * integer labels. Readers produce this; {@link #normalised} turns it into the float dataset training
 * uses, with the dataset's per-channel mean and standard deviation.
 */
public record RawImages(int channels, int height, int width, byte[] pixels, int[] labels) {
    public RawImages {
        if (pixels.length != (long) labels.length * channels * height * width) {
            throw new IllegalArgumentException("pixels do not match " + labels.length + " images of " + channels
                    + "x" + height + "x" + width);
        }
    }

    public int size() {
        return labels.length;
    }

    /** Concatenates parts with the same image shape, in order. */
    public static RawImages concat(java.util.List<RawImages> parts) {
        RawImages first = parts.get(0);
        int n = parts.stream().mapToInt(RawImages::size).sum();
        byte[] p = new byte[(int) ((long) n * first.channels * first.height * first.width)];
        int[] l = new int[n];
        int offset = 0;
        int at = 0;
        for (RawImages part : parts) {
            System.arraycopy(part.pixels, 0, p, offset, part.pixels.length);
            System.arraycopy(part.labels, 0, l, at, part.labels.length);
            offset += part.pixels.length;
            at += part.labels.length;
        }
        return new RawImages(first.channels, first.height, first.width, p, l);
    }

    /** (x / 255 - mean[c]) / std[c] per channel. */
    public ImageDataset normalised(String name, int numClasses, float[] mean, float[] std) {
        float[] out = new float[pixels.length];
        int plane = height * width;
        for (int i = 0; i < pixels.length; i++) {
            int c = (i / plane) % channels;
            out[i] = ((pixels[i] & 0xFF) / 255f - mean[c]) / std[c];
        }
        return new ImageDataset(name, channels, height, width, numClasses, out, labels);
    }
}
