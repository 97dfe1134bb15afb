package io.splicelab.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.onnx.DjlParameterFile.Tensor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parameter file is read without DJL into exactly the arrays DJL loads from it, and a file that is not a
 * checkpoint of the network (another width, another shortcut, cut short, with more after it) is refused with where.
 */
class DjlParameterFileTest {
    static final NetworkSpec RESNET = new NetworkSpec("resnet20", 0.25, 3, 32, 32, 10);

    @Test
    void everyParameterIsReadAsDjlLoadsIt() {
        for (NetworkSpec spec : NetworkLayoutTest.SPECS) {
            byte[] file = DjlNetworks.checkpoint(spec, 3);
            Map<String, Tensor> read = DjlParameterFile.read(NetworkLayout.of(spec), file);
            try (NDManager m = NDManager.newBaseManager()) {
                CutNetwork net = Checkpoints.load(spec, file, m);
                assertEquals(net.block().getParameters().size(), read.size(), spec.toString());
                // both in the order DJL writes them: depth first
                Iterator<Tensor> tensors = read.values().iterator();
                for (Pair<String, Parameter> p : net.block().getParameters()) {
                    Tensor t = tensors.next();
                    assertArrayEquals(p.getValue().getArray().getShape().getShape(), t.shape(), p.getKey());
                    assertArrayEquals(p.getValue().getArray().toFloatArray(), t.values(), p.getKey());
                }
            }
        }
    }

    @Test
    void aCheckpointOfAnotherNetworkIsRefusedSayingWhere() {
        byte[] file = DjlNetworks.checkpoint(RESNET, 1);
        CheckpointFormatException wider = assertThrows(CheckpointFormatException.class, () -> DjlParameterFile.read(
                NetworkLayout.of(new NetworkSpec("resnet20", 0.5, 3, 32, 32, 10)), file));
        assertTrue(wider.getMessage().contains("layer 0/0") && wider.getMessage().contains("shape [4, 3, 3, 3]"),
                wider.getMessage());
        CheckpointFormatException optionB = assertThrows(CheckpointFormatException.class, () -> DjlParameterFile.read(
                NetworkLayout.of(new NetworkSpec("resnet20-b", 0.25, 3, 32, 32, 10)), file));
        assertTrue(optionB.getMessage().contains("layer 4/1") && optionB.getMessage().contains("block version"),
                optionB.getMessage());
        CheckpointFormatException deeper = assertThrows(CheckpointFormatException.class, () -> DjlParameterFile.read(
                NetworkLayout.of(new NetworkSpec("resnet32", 0.25, 3, 32, 32, 10)), file));
        assertTrue(deeper.getMessage().contains("layer 4"), deeper.getMessage());
        CheckpointFormatException input = assertThrows(CheckpointFormatException.class, () -> DjlParameterFile.read(
                NetworkLayout.of(new NetworkSpec("resnet20", 0.25, 1, 28, 28, 10)), file));
        assertTrue(input.getMessage().contains("initialised for input"), input.getMessage());
    }

    @Test
    void aTruncatedOrLongerFileIsRefused() {
        byte[] file = DjlNetworks.checkpoint(RESNET, 1);
        NetworkLayout layout = NetworkLayout.of(RESNET);
        CheckpointFormatException cut = assertThrows(CheckpointFormatException.class,
                () -> DjlParameterFile.read(layout, Arrays.copyOf(file, file.length - 10)));
        assertTrue(cut.getMessage().contains("ends before the network does"), cut.getMessage());
        CheckpointFormatException longer = assertThrows(CheckpointFormatException.class,
                () -> DjlParameterFile.read(layout, Arrays.copyOf(file, file.length + 3)));
        assertTrue(longer.getMessage().contains("3 bytes after the last parameter"), longer.getMessage());
        assertThrows(CheckpointFormatException.class, () -> DjlParameterFile.read(layout, new byte[0]));
        assertThrows(CheckpointFormatException.class, () -> DjlParameterFile.read(layout,
                "not a checkpoint at all".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
