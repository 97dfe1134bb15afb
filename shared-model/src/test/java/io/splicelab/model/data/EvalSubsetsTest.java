package io.splicelab.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.values.EvalSubset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalSubsetsTest {
    /** 30 labels, class i % 3. */
    static final int[] LABELS = java.util.stream.IntStream.range(0, 30).map(i -> i % 3).toArray();

    static RunConfig config(String json) throws Exception {
        return EventCodec.mapper().readValue(json, RunConfig.class).withDefaults();
    }

    @Test
    void firstIsTheFirstImagesOfTheSplitOrAllOfIt() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, EvalSubsets.select(EvalSubset.FIRST, LABELS, 3, 5, 1, null));
        assertEquals(30, EvalSubsets.select(EvalSubset.FIRST, LABELS, 3, 500, 1, null).length);
        assertArrayEquals(EvalSubsets.select(EvalSubset.FIRST, LABELS, 3, 5, 1, null),
                EvalSubsets.select(EvalSubset.FIRST, LABELS, 3, 5, 99, null), "no seed");
    }

    @Test
    void listedIndicesAreTakenInTheirOrderAndCheckedAgainstTheSplitRead() {
        assertArrayEquals(new int[] {29, 0, 7}, EvalSubsets.select(EvalSubset.INDICES, LABELS, 3, 3, 1,
                List.of(29, 0, 7)));
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> EvalSubsets.listed(List.of(4, 30), 30));
        assertEquals("evalIndices[1] = 30 is not an image of the split (0 to 29)", outside.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> EvalSubsets.listed(List.of(4, 5, 4), 30));
        assertEquals("evalIndices[2] = 4 is listed twice", twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EvalSubsets.listed(Arrays.asList(1, null), 30));
        assertThrows(IllegalArgumentException.class, () -> EvalSubsets.listed(List.of(), 30));
        assertThrows(IllegalArgumentException.class, () -> EvalSubsets.listed(List.of(-1), 30));
    }

    @Test
    void stratifiedIsTheSeededClassStratifiedSampleAsBefore() {
        for (long seed : new long[] {1, 7, 12345}) {
            assertArrayEquals(ProbeSets.stratified(LABELS, 3, 9, seed),
                    EvalSubsets.select(EvalSubset.STRATIFIED, LABELS, 3, 9, seed, null));
        }
        int[] some = EvalSubsets.select(EvalSubset.STRATIFIED, LABELS, 3, 9, 1, null);
        assertEquals(9, some.length);
        for (int c = 0; c < 3; c++) {
            int cls = c;
            assertEquals(3, Arrays.stream(some).filter(i -> LABELS[i] == cls).count(), "class " + c);
        }
    }

    /**
     * The run's test subset: the default is, index for index, what a run evaluated on before the setting existed (the
     * stratified sample drawn with seed * 7919 + 17, pinned here for the synthetic test split), so earlier results and
     * fixtures keep their images; first and indices follow the configuration.
     */
    @Test
    void aRunsTestSubsetFollowsItsConfigurationAndTheDefaultIsUnchanged() throws Exception {
        RunConfig stratified = config("{\"seed\":3,\"evalSize\":20}");
        ImageDataset test = Datasets.test(stratified);
        int[] indices = Datasets.evalIndices(stratified, test);
        assertArrayEquals(ProbeSets.stratified(test.labels(), test.numClasses(), 20, 3 * 7919 + 17), indices);
        assertArrayEquals(PINNED_STRATIFIED_SEED3_SIZE20, indices, Arrays.toString(indices));
        assertArrayEquals(indices, Datasets.evalIndices(config("{\"seed\":3,\"evalSize\":20,\"evalSubset\":"
                + "\"stratified\"}"), test), "stratified named or absent: the same");

        RunConfig first = config("{\"seed\":3,\"evalSize\":20,\"evalSubset\":\"first\"}");
        assertArrayEquals(java.util.stream.IntStream.range(0, 20).toArray(), Datasets.evalIndices(first, test));
        ImageDataset firstImages = Datasets.evalSubset(first);
        assertEquals("test", firstImages.name());
        assertArrayEquals(Arrays.copyOf(test.pixels(), 20 * test.imageSize()), firstImages.pixels());

        List<Integer> listed = List.of(1999, 5, 0, 17, 3, 8, 13, 21, 34, 55);
        RunConfig byIndex = config("{\"evalIndices\":" + listed + "}");
        assertArrayEquals(listed.stream().mapToInt(Integer::intValue).toArray(), Datasets.evalIndices(byIndex, test));
        ImageDataset listedImages = Datasets.evalSubset(byIndex);
        for (int k = 0; k < listed.size(); k++) {
            assertEquals(test.labels()[listed.get(k)], listedImages.labels()[k]);
        }
        // the training subset the hybrids are evaluated on stays stratified whatever the test subset
        ImageDataset train = Datasets.train(stratified);
        assertArrayEquals(Datasets.trainEvalIndices(stratified, train), Datasets.trainEvalIndices(
                config("{\"seed\":3,\"evalSize\":20,\"evalSubset\":\"first\"}"), train));
    }

    /**
     * Datasets.evalIndices of the synthetic test split, seed 3, evalSize 20, as main drew them before the setting
     * existed (computed there with its own classes).
     */
    static final int[] PINNED_STRATIFIED_SEED3_SIZE20 = {87, 104, 121, 269, 379, 685, 707, 860, 953, 1040, 1132, 1186,
        1230, 1294, 1390, 1483, 1503, 1626, 1755, 1782};
}
