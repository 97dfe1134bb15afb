package io.splicelab.model.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.RunConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalSubsetTest {
    @Test
    void theNamesAreTheWireFormAndAnUnknownOneIsRefusedWithTheKnownOnes() throws Exception {
        assertEquals(List.of("stratified", "first", "indices"), WireName.wireNames(EvalSubset.class));
        assertEquals(EvalSubset.FIRST, EvalSubset.parse("first"));
        assertEquals("\"indices\"", EventCodec.mapper().writeValueAsString(EvalSubset.INDICES));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvalSubset.parse("last"));
        assertTrue(e.getMessage().contains("unknown evaluation subset 'last'")
                && e.getMessage().contains("[stratified, first, indices]"), e.getMessage());
    }

    @Test
    void absentIsStratifiedUnlessIndicesAreListed() {
        assertEquals(EvalSubset.STRATIFIED, EvalSubset.of(null, null));
        assertEquals(EvalSubset.STRATIFIED, EvalSubset.of(null, List.of()));
        assertEquals(EvalSubset.INDICES, EvalSubset.of(null, List.of(3)));
        assertEquals(EvalSubset.FIRST, EvalSubset.of("first", null));
    }

    @Test
    void aDescriptionSaysWhichImagesInOneLineWithoutCommas() {
        assertEquals("stratified size=500 seed=1", EvalSubset.STRATIFIED.describe(500, 1, null));
        assertEquals("first size=200", EvalSubset.FIRST.describe(200, 9, null));
        // sha256("3,17,42") = 31771f390aca49f9... (python: hashlib.sha256(b"3,17,42").hexdigest()[:16])
        assertEquals("indices size=3 sha256=31771f390aca49f9", EvalSubset.INDICES.describe(3, 1, List.of(3, 17, 42)));
        assertEquals("f4972c7d08e0c803", EvalSubset.fingerprint(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
        // the order is part of the list
        assertTrue(!EvalSubset.fingerprint(List.of(17, 3, 42)).equals(EvalSubset.fingerprint(List.of(3, 17, 42))));
    }

    @Test
    void theTestSubsetOfAConfigurationIsDescribedWithItsDefaults() throws Exception {
        assertEquals("stratified size=500 seed=1", EvalSubset.describeTest(parse("{}")));
        assertEquals("first size=64", EvalSubset.describeTest(parse("{\"evalSubset\":\"first\",\"evalSize\":64,"
                + "\"seed\":4}")));
        assertEquals("indices size=3 sha256=31771f390aca49f9",
                EvalSubset.describeTest(parse("{\"evalIndices\":[3,17,42]}")));
    }

    static RunConfig parse(String json) throws Exception {
        return EventCodec.mapper().readValue(json, RunConfig.class);
    }
}
