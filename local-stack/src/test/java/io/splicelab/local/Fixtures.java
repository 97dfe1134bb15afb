package io.splicelab.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splicelab.model.events.EventCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Events and grids of a fake run, shaped like the gateway's contract. */
final class Fixtures {
    static final List<Integer> STEPS = List.of(0, 60, 120);

    private Fixtures() {
    }

    static ObjectNode obj() {
        return EventCodec.mapper().createObjectNode();
    }

    static JsonNode started(String runId, List<Integer> steps, int totalSteps) {
        ObjectNode d = obj().put("runId", runId);
        d.putObject("config").put("steps", totalSteps).put("checkpointInterval", 60);
        ArrayNode a = d.putArray("checkpointSteps");
        steps.forEach(a::add);
        return d;
    }

    static JsonNode progress(String runId, int step, int total, double loss, double acc) {
        return obj().put("runId", runId).put("step", step).put("totalSteps", total).put("loss", loss)
                .put("accuracy", acc).put("learningRate", 0.05).put("imagesPerSecond", 321.4);
    }

    static JsonNode checkpoint(String runId, int step, int index) {
        return obj().put("runId", runId).put("step", step).put("index", index).put("trainAccuracy", 0.5);
    }

    static JsonNode completed(String runId, int steps, int checkpoints) {
        return obj().put("runId", runId).put("steps", steps).put("checkpoints", checkpoints)
                .put("finalTrainAccuracy", 0.8125).put("finalTestAccuracy", 0.7431).put("finalTestSamples", 10000);
    }

    static JsonNode failed(String runId, String reason) {
        return obj().put("runId", runId).put("reason", reason);
    }

    static JsonNode gridProgress(String runId, int step, int stepDone, int stepExpected, int gridDone, int gridExpected,
            String status, String reason) {
        ObjectNode n = obj().put("runId", runId).put("step", step).put("stepCellsComputed", stepDone)
                .put("stepCellsExpected", stepExpected).put("gridCellsComputed", gridDone)
                .put("gridCellsExpected", gridExpected).put("checkpoints", 3).put("status", status);
        if (reason != null) {
            n.put("reason", reason);
        }
        return n;
    }

    static ObjectNode hybrid(String runId, String cut, int shallow, int deep, double acc) {
        ObjectNode d = obj().put("runId", runId).put("cut", cut).put("evalSet", "test").put("bnMode", "deep")
                .put("precision", "fp32").put("shallowStep", shallow).put("deepStep", deep).put("samples", 500);
        d.putObject("metrics").put("accuracy", acc).put("agreementDeep", 0.9).put("agreementShallow", 0.8)
                .put("relativeAccuracy", 0.95);
        return d;
    }

    /** A plausible accuracy: the checkpoint's own is 0.2 + step/200; hybrids lose a bit per step apart. */
    static double acc(String cut, int shallow, int deep) {
        double own = 0.2 + deep / 200.0;
        return shallow == deep ? own : own - Math.abs(deep - shallow) / 1000.0 - (cut.equals("stem") ? 0 : 0.01);
    }

    /** The K*K cells of every stage cut. */
    static List<ObjectNode> allCells(String runId, List<Integer> steps, BiFunction<Integer, Integer, Boolean> keep) {
        List<ObjectNode> out = new ArrayList<>();
        for (String cut : HybridGrid.STAGE_CUTS) {
            for (int a : steps) {
                for (int b : steps) {
                    if (keep.apply(a, b)) {
                        out.add(hybrid(runId, cut, a, b, acc(cut, a, b)));
                    }
                }
            }
        }
        return out;
    }

    /** The gateway's hybrids response for the given cells. */
    static ObjectNode hybridsResponse(String runId, List<Integer> steps, List<ObjectNode> cells) {
        ObjectNode r = obj().put("runId", runId);
        ArrayNode cp = r.putArray("checkpoints");
        steps.forEach(cp::add);
        ArrayNode cuts = r.putArray("cuts");
        HybridGrid.STAGE_CUTS.forEach(cuts::add);
        ArrayNode cs = r.putArray("cells");
        for (ObjectNode c : cells) {
            ObjectNode x = c.deepCopy();
            x.remove("runId");
            x.remove("precision");
            x.remove("samples");
            ObjectNode m = obj().put("accuracy", c.path("metrics").path("accuracy").asDouble());
            x.set("metrics", m);
            cs.add(x);
        }
        return r;
    }

    /** A CloudEvents envelope around data. */
    static ObjectNode envelope(String type, String runId, JsonNode data) {
        ObjectNode e = obj().put("specversion", "1.0").put("id", java.util.UUID.randomUUID().toString())
                .put("source", "/test").put("type", type).put("subject", runId).put("time", "2025-01-01T00:00:00Z");
        e.set("data", data);
        return e;
    }
}
