package io.splicelab.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.Architectures;
import io.splicelab.model.events.Payloads.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract names the cuts of every architecture without DJL ({@link Architectures}); the networks built
 * here must have exactly those cuts, in the same order, or a configuration the gateway accepts would fail in
 * the trainer.
 */
class ArchitecturesMatchNetworksTest {
    @BeforeAll
    static void offline() {
        DjlOffline.configure();
    }

    @Test
    void everyArchitectureHasTheCutsTheContractNames() {
        for (String name : List.of("resnet20", "resnet32", "resnet56", "resnet20-b", "resnet56-b", "cnn", "mlp")) {
            NetworkSpec spec = new NetworkSpec(name, 0.5, 1, 28, 28, 10);
            assertTrue(Architectures.isKnown(name), name);
            assertEquals(Networks.build(spec).cutNames(), Architectures.cuts(name), name);
            for (String cut : Architectures.defaultCuts(name)) {
                assertTrue(Architectures.hasCut(name, cut), name + " " + cut);
            }
        }
    }

    @Test
    void unknownNamesHaveNoCuts() {
        assertFalse(Architectures.isKnown("cnn-b"));
        assertFalse(Architectures.hasCut("vgg16", "stem"));
        assertFalse(Architectures.hasCut("resnet20", "s3b4"));
        assertTrue(Architectures.hasCut("resnet56", "s3b9"));
    }
}
