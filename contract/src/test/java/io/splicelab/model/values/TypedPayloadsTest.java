package io.splicelab.model.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The payloads keep their JSON byte for byte; their typed accessors read and check the names. */
class TypedPayloadsTest {
    @Test
    void aCellsJsonIsUnchangedAndItsNamesAreTyped() throws Exception {
        HybridEvaluated cell = new HybridEvaluated("r", "stage1", "fog-3", "carry", "float32", 0, 60, 500,
                Map.of("accuracy", 0.5));
        assertEquals("{\"runId\":\"r\",\"cut\":\"stage1\",\"evalSet\":\"fog-3\",\"bnMode\":\"carry\","
                + "\"precision\":\"float32\",\"shallowStep\":0,\"deepStep\":60,\"samples\":500,"
                + "\"metrics\":{\"accuracy\":0.5}}", EventCodec.mapper().writeValueAsString(cell));
        assertEquals(Cut.STAGE1, cell.cutValue());
        assertEquals(EvalSet.corrupted("fog", 3), cell.evalSetValue());
        assertEquals(BnMode.CARRY, cell.bnModeValue());
        assertEquals(0.5, cell.metric(Metric.ACCURACY));

        HybridEvaluated bad = new HybridEvaluated("r", "stage1", "test", "frozen", "float32", 0, 60, 500, Map.of());
        assertEquals("unknown BatchNorm mode 'frozen'; known: [carry, recalibrate]",
                assertThrows(IllegalArgumentException.class, bad::bnModeValue).getMessage());
    }

    @Test
    void aSummaryAndASnapshotKeepTheirJson() throws Exception {
        TcSummaryComputed s = new TcSummaryComputed("r", "stem", "test", "recalibrate", List.of(0, 50), Map.of(),
                0.9, null, 0.9);
        assertEquals("{\"runId\":\"r\",\"cut\":\"stem\",\"evalSet\":\"test\",\"bnMode\":\"recalibrate\","
                + "\"steps\":[0,50],\"curve\":{},\"tcScore\":0.9,\"dropLag\":null,\"threshold\":0.9}",
                EventCodec.mapper().writeValueAsString(s));
        assertEquals(BnMode.RECALIBRATE, s.bnModeValue());
        assertEquals(EvalSet.TEST, s.evalSetValue());
        assertEquals(Cut.STEM, s.cutValue());

        FeaturesSnapshotted f = new FeaturesSnapshotted("r", 10, "train-probe", List.of("stem"), 4, null);
        assertEquals("{\"runId\":\"r\",\"step\":10,\"probeSet\":\"train-probe\",\"cuts\":[\"stem\"],\"samples\":4,"
                + "\"features\":null}", EventCodec.mapper().writeValueAsString(f));
        assertEquals(ProbeSet.TRAIN_PROBE, f.probeSetValue());
    }
}
