package io.splicelab.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splicelab.model.data.corruptions.Corruptions;
import org.junit.jupiter.api.Test;

/** Each image knows its row in the split it was read from, through subsets, relabelling and corruptions. */
class ImageDatasetTest {
    @Test
    void splitIndicesFollowTheImagesThroughSubsetsRelabellingAndCorruptions() {
        ImageDataset split = SyntheticImages.split("test", 30);
        assertArrayEquals(java.util.stream.IntStream.range(0, 30).toArray(), split.splitIndices(), "a split is its own");
        ImageDataset subset = split.subset("test", new int[] {29, 4, 17, 8});
        assertArrayEquals(new int[] {29, 4, 17, 8}, subset.splitIndices());
        ImageDataset ofSubset = subset.subset("first", new int[] {2, 0});
        assertArrayEquals(new int[] {17, 29}, ofSubset.splitIndices(), "a subset of a subset: the split's rows");
        assertArrayEquals(new int[] {split.labels()[17], split.labels()[29]}, ofSubset.labels());
        ImageDataset relabelled = subset.relabelled("noisy", new int[] {1, 2, 3, 4});
        assertSame(subset.splitIndices(), relabelled.splitIndices());
        assertArrayEquals(new int[] {1, 2, 3, 4}, relabelled.labels());
        ImageDataset fog = Corruptions.apply(subset, "fog", 2, 7, new float[] {0.5f, 0.5f, 0.5f},
                new float[] {0.2f, 0.2f, 0.2f});
        assertArrayEquals(subset.splitIndices(), fog.splitIndices(), "corrupted, the same images");
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset("x", 1, 1, 1, 2, new float[2],
                new int[2], new int[3]));
        assertThrows(IllegalArgumentException.class, () -> subset.relabelled("x", new int[3]));
    }
}
