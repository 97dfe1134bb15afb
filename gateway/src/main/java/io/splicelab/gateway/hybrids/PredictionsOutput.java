package io.splicelab.gateway.hybrids;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.features.HybridPredictions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * A hybrid cell's per-image predictions as the API serves them, written row by row straight to the response (from
 * the compact arrays of the stored file: no list of row objects, no document held in memory), so that two engines'
 * answers can be diffed image by image. Pure, so both shapes are unit-tested.
 *
 * <p>JSON: the cell's key, {@code samples}, {@code margin} (what the margin is) and {@code predictions}, one object per
 * image in evaluation order: {@code splitIndex}, {@code label}, {@code predicted}, {@code logitMargin} (null when
 * not finite). CSV: the header {@code splitIndex,label,predicted,logitMargin} and one line per image (an empty
 * margin when not finite); numbers only, so nothing is quoted.
 */
public final class PredictionsOutput {
    /** What {@code logitMargin} is, as the JSON says it. */
    public static final String MARGIN = "logitMargin = top-1 logit - top-2 logit of the hybrid's float32 logits";
    static final String CSV_HEADER = HybridPredictions.SPLIT_INDEX + "," + HybridPredictions.LABEL + ","
            + HybridPredictions.PREDICTED + "," + HybridPredictions.LOGIT_MARGIN;

    private PredictionsOutput() {
    }

    /** The cell whose predictions these are: its natural key in the run. */
    public record CellKey(String runId, String cut, String evalSet, String bnMode, int shallowStep, int deepStep) {
    }

    public static void json(CellKey cell, HybridPredictions p, OutputStream out) throws IOException {
        try (JsonGenerator json = EventCodec.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeStringField("runId", cell.runId());
            json.writeStringField("cut", cell.cut());
            json.writeStringField("evalSet", cell.evalSet());
            json.writeStringField("bnMode", cell.bnMode());
            json.writeNumberField("shallowStep", cell.shallowStep());
            json.writeNumberField("deepStep", cell.deepStep());
            json.writeNumberField("samples", p.size());
            json.writeStringField("margin", MARGIN);
            json.writeArrayFieldStart("predictions");
            for (int i = 0; i < p.size(); i++) {
                json.writeStartObject();
                json.writeNumberField(HybridPredictions.SPLIT_INDEX, p.splitIndex()[i]);
                json.writeNumberField(HybridPredictions.LABEL, p.label()[i]);
                json.writeNumberField(HybridPredictions.PREDICTED, p.predicted()[i]);
                float m = p.logitMargin()[i];
                if (Float.isFinite(m)) {
                    json.writeNumberField(HybridPredictions.LOGIT_MARGIN, m);
                } else {
                    json.writeNullField(HybridPredictions.LOGIT_MARGIN);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    public static void csv(HybridPredictions p, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        w.write(CSV_HEADER);
        w.write('\n');
        for (int i = 0; i < p.size(); i++) {
            float m = p.logitMargin()[i];
            w.write(p.splitIndex()[i] + "," + p.label()[i] + "," + p.predicted()[i] + ","
                    + (Float.isFinite(m) ? Float.toString(m) : "") + "\n");
        }
        w.flush();
    }
}
