package io.splicelab.model.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splicelab.model.events.Architectures;
import java.util.List;
import org.junit.jupiter.api.Test;

class CutTest {
    @Test
    void theStageCutsAreTheArchitecturesNames() {
        assertEquals(List.of("stem", "stage1", "stage2"), Architectures.STAGE_CUTS);
        assertEquals(Architectures.STAGE_CUTS, List.of(Cut.STEM.wire(), Cut.STAGE1.wire(), Cut.STAGE2.wire()));
        assertEquals(String.join(",", Architectures.STAGE_CUTS), Architectures.STAGE_CUTS_CONFIG);
        assertEquals("s2b3", Architectures.blockCut(2, 3));
        assertEquals(Cut.STAGE2.wire(), Architectures.stageCut(2));
    }

    @Test
    void aCutOfAnArchitectureIsCheckedAgainstItsCuts() {
        assertEquals(Cut.STAGE1, Cut.of("resnet20", "stage1"));
        assertEquals(new Cut("s3b9"), Cut.of("resnet56-b", "s3b9"));
        assertEquals(new Cut("fc2"), Cut.of("mlp", "fc2"));
        assertEquals("'s3b4' is not a cut of resnet20; its cuts: " + Architectures.cuts("resnet20"),
                assertThrows(IllegalArgumentException.class, () -> Cut.of("resnet20", "s3b4")).getMessage());
        assertEquals("unknown architecture 'vgg16'; known: [cnn, mlp, resnet20, resnet32, resnet56]",
                assertThrows(IllegalArgumentException.class, () -> Cut.of("vgg16", "stem")).getMessage());
    }

    @Test
    void anImportedNetworkNamesItsOwnCuts() {
        assertEquals("layer3", Cut.parse("layer3").wire());
        assertEquals("a cut name is required, got ' '",
                assertThrows(IllegalArgumentException.class, () -> Cut.parse(" ")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cut.parse(null));
    }

}
