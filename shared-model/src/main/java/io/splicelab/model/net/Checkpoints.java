package io.splicelab.model.net;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.splicelab.model.events.Payloads.NetworkSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A checkpoint's bytes are DJL's parameter format of the whole block: weights and BatchNorm running
 * statistics (which DJL keeps as parameters), so a loaded checkpoint predicts exactly as it did when it
 * was saved.
 */
public final class Checkpoints {
    public static final String MEDIA_TYPE = "application/vnd.splicelab.djl-params";

    private Checkpoints() {
    }

    /** Serialises the parameters of a block. */
    public static byte[] save(Block block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Builds the network of a spec and loads a checkpoint into it; arrays belong to the manager. */
    public static CutNetwork load(NetworkSpec spec, byte[] parameters, NDManager manager) {
        CutNetwork net = Networks.build(spec);
        net.block().initialize(manager, DataType.FLOAT32, inputShape(spec));
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
            net.block().loadParameters(manager, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalArgumentException("checkpoint does not match network " + spec + ": " + e.getMessage(), e);
        }
        return net;
    }

    /** The input shape of one example, with a batch dimension of 1. */
    public static Shape inputShape(NetworkSpec spec) {
        return new Shape(1, spec.channels(), spec.height(), spec.width());
    }
}
