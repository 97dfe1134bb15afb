package io.splicelab.gateway.claims;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentRequest;
import io.splicelab.model.events.EventCodec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The smallest experiment that tests the paper's four claims on real data: a small ResNet on Fashion-MNIST (Debian's
 * {@code dataset-fashion-mnist}), three variants (baseline; random labels, trained longer on the same images so it
 * can fit them; the shallow part up to stage1 frozen early) and three seeds, so every comparison has a standard
 * error and a Welch test. The baseline samples SGD noise at its last checkpoint (claim 3); every run is evaluated on
 * the test subset, the training subset (and, with random labels, the labels it fitted) and three corruptions at
 * severity 3 (claims 1, 2 and 4). Sized to finish on two cores in about a quarter of an hour with the local stack.
 */
public final class ClaimsExperiment {
    /** The seeds of the claims experiment. */
    public static final List<Long> SEEDS = List.of(1L, 2L, 3L);
    /** The evaluation sets the claims need (a random-label run adds train-noisy to train). */
    public static final List<String> EVAL_SETS = List.of("test", "train", "gaussian_noise-3", "fog-3",
            "contrast-3");

    private static final String BASE = """
            {"architecture": "resnet20", "widthMultiplier": 0.25, "dataset": "fashion-mnist",
             "trainSize": 1000, "evalSize": 500, "batchSize": 32, "steps": 240, "checkpointInterval": 80,
             "learningRate": 0.05, "momentum": 0.9, "augmentation": "none",
             "noiseSteps": [240], "noiseMinibatches": 32,
             "evalSets": ["test", "train", "gaussian_noise-3", "fog-3", "contrast-3"], "bnModes": ["carry"]}
            """;
    private static final String VARIANTS = """
            {"baseline": {},
             "random-labels": {"labelNoise": 1, "trainSize": 250, "evalSize": 200, "steps": 720, "checkpointInterval": 240,
                               "noiseSteps": []},
             "frozen": {"freezeCut": "stage1", "freezeStep": 20, "noiseSteps": []}}
            """;

    private ClaimsExperiment() {
    }

    /**
     * @param name the experiment's name (null: {@code claims <UTC time>}, unique per second)
     * @param seeds the seeds (null or empty: {@link #SEEDS})
     */
    public static ExperimentRequest request(String name, List<Long> seeds) {
        try {
            ObjectNode base = (ObjectNode) EventCodec.mapper().readTree(BASE);
            JsonNode variants = EventCodec.mapper().readTree(VARIANTS);
            Map<String, JsonNode> byName = new LinkedHashMap<>();
            variants.fields().forEachRemaining(e -> byName.put(e.getKey(), e.getValue()));
            String n = name == null || name.isBlank() ? "claims " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                    .withZone(ZoneOffset.UTC).format(Instant.now()) : name.strip();
            return new ExperimentRequest(n, base, byName, seeds == null || seeds.isEmpty() ? SEEDS : seeds);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the claims experiment's own JSON is broken", e);
        }
    }
}
