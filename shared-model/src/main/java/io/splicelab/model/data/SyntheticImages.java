package io.splicelab.model.data;

import java.util.SplittableRandom;

/**
 * A seeded synthetic image dataset with learnable class structure, for tests and offline demos. Each
 * class has a prototype made of a few oriented gratings and a blob; an example is its class prototype,
 * randomly shifted and scaled, mixed with a weaker prototype of another class, plus Gaussian noise.
 * Classes are separable but not trivially, so accuracy grows over training as on real data.
 * The prototypes depend only on the dataset seed, so the train and test splits share them.
 */
public final class SyntheticImages {
    public static final long DEFAULT_DATASET_SEED = 20250920L;

    private SyntheticImages() {
    }

    /** A split ({@code train} or {@code test}) of n examples of the default synthetic dataset. */
    public static ImageDataset split(String split, int n) {
        long stream = "train".equals(split) ? 1 : 2;
        return generate(DEFAULT_DATASET_SEED, stream, n, 3, 32, 10);
    }

    /**
     * @param datasetSeed fixes the class prototypes
     * @param streamSeed fixes which examples are drawn (different per split)
     */
    public static ImageDataset generate(long datasetSeed, long streamSeed, int n, int channels, int size,
            int numClasses) {
        float[][] prototypes = prototypes(datasetSeed, channels, size, numClasses);
        SplittableRandom rnd = new SplittableRandom(datasetSeed * 31 + streamSeed * 1_000_003L);
        int imageSize = channels * size * size;
        float[] pixels = new float[n * imageSize];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % numClasses;
            int other = (c + 1 + rnd.nextInt(numClasses - 1)) % numClasses;
            labels[i] = c;
            int dx = rnd.nextInt(7) - 3;
            int dy = rnd.nextInt(7) - 3;
            double scale = 0.7 + 0.6 * rnd.nextDouble();
            double mix = 0.45 * rnd.nextDouble();
            int base = i * imageSize;
            for (int ch = 0; ch < channels; ch++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int sy = Math.floorMod(y + dy, size);
                        int sx = Math.floorMod(x + dx, size);
                        int p = (ch * size + sy) * size + sx;
                        double v = scale * prototypes[c][p] + mix * prototypes[other][p] + 0.9 * gaussian(rnd);
                        pixels[base + (ch * size + y) * size + x] = (float) v;
                    }
                }
            }
        }
        // shuffle so batches mix classes, with the same seed
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tl = labels[i];
            labels[i] = labels[j];
            labels[j] = tl;
            for (int k = 0; k < imageSize; k++) {
                float t = pixels[i * imageSize + k];
                pixels[i * imageSize + k] = pixels[j * imageSize + k];
                pixels[j * imageSize + k] = t;
            }
        }
        return new ImageDataset("synthetic", channels, size, size, numClasses, pixels, labels);
    }

    private static float[][] prototypes(long seed, int channels, int size, int numClasses) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] out = new float[numClasses][channels * size * size];
        for (int c = 0; c < numClasses; c++) {
            double bx = size * (0.2 + 0.6 * rnd.nextDouble());
            double by = size * (0.2 + 0.6 * rnd.nextDouble());
            double br = size * (0.12 + 0.1 * rnd.nextDouble());
            for (int ch = 0; ch < channels; ch++) {
                double[][] gratings = new double[3][];
                for (int g = 0; g < 3; g++) {
                    double angle = Math.PI * rnd.nextDouble();
                    double freq = 2 * Math.PI * (1 + 3 * rnd.nextDouble()) / size;
                    gratings[g] = new double[] {Math.cos(angle) * freq, Math.sin(angle) * freq,
                            2 * Math.PI * rnd.nextDouble(), 0.3 + 0.4 * rnd.nextDouble()};
                }
                double blobSign = rnd.nextBoolean() ? 1 : -1;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double v = 0;
                        for (double[] g : gratings) {
                            v += g[3] * Math.sin(g[0] * x + g[1] * y + g[2]);
                        }
                        double d2 = (x - bx) * (x - bx) + (y - by) * (y - by);
                        v += blobSign * 1.2 * Math.exp(-d2 / (2 * br * br));
                        out[c][(ch * size + y) * size + x] = (float) v;
                    }
                }
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
