package io.splicelab.trainer.training;

import io.splicelab.model.data.ImageDataset;
import java.util.SplittableRandom;

/**
 * Assembles a training batch with the configured augmentation: random crop with zero padding (4 pixels
 * at 32x32, 2 at 28x28: an eighth of the side) and horizontal flip with probability 1/2. Works on the
 * normalised floats, so padding is the dataset mean. The random choices come from a generator the caller
 * seeds per step.
 */
public final class Augmenter {
    private final boolean crop;
    private final boolean flip;

    public Augmenter(String augmentation) {
        this.crop = augmentation.contains("crop");
        this.flip = augmentation.contains("flip");
    }

    public boolean active() {
        return crop || flip;
    }

    /** The batch of the given examples, NCHW, augmented with choices drawn from rnd. */
    public float[] batch(ImageDataset data, int[] indices, SplittableRandom rnd) {
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int size = c * h * w;
        float[] out = new float[indices.length * size];
        float[] pixels = data.pixels();
        int pad = Math.max(1, Math.min(h, w) / 8);
        for (int i = 0; i < indices.length; i++) {
            int src = indices[i] * size;
            int dst = i * size;
            int dy = crop ? rnd.nextInt(2 * pad + 1) - pad : 0;
            int dx = crop ? rnd.nextInt(2 * pad + 1) - pad : 0;
            boolean mirror = flip && rnd.nextBoolean();
            if (dx == 0 && dy == 0 && !mirror) {
                System.arraycopy(pixels, src, out, dst, size);
                continue;
            }
            for (int ch = 0; ch < c; ch++) {
                int plane = ch * h * w;
                for (int y = 0; y < h; y++) {
                    int sy = y + dy;
                    if (sy < 0 || sy >= h) {
                        continue;
                    }
                    for (int x = 0; x < w; x++) {
                        int sx = (mirror ? w - 1 - x : x) + dx;
                        if (sx >= 0 && sx < w) {
                            out[dst + plane + y * w + x] = pixels[src + plane + sy * w + sx];
                        }
                    }
                }
            }
        }
        return out;
    }
}
