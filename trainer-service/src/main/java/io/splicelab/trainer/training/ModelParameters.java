package io.splicelab.trainer.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The trainable parameters of a network in a fixed order (DJL's {@code getParameters()} order, BatchNorm
 * running statistics excluded): the order of optimizer state positions and of the flattened vectors in
 * noise artifacts. Also loads checkpoint bytes into the live network and keeps gradients attached.
 */
public final class ModelParameters {
    private final Block block;
    private final NDManager manager;

    public ModelParameters(CutNetwork net, NDManager manager) {
        this.block = net.block();
        this.manager = manager;
    }

    /** Trainable parameters in order. */
    public List<Parameter> trainable() {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                out.add(p);
            }
        }
        return out;
    }

    /** Positions (in {@link #trainable()}) of the parameters of the first {@code segments} segments. */
    public Set<Integer> positionsOfSegments(int segments) {
        Set<Parameter> shallow = new HashSet<>();
        List<Block> children = block.getChildren().values();
        for (int i = 0; i < segments; i++) {
            shallow.addAll(children.get(i).getParameters().values());
        }
        Set<Integer> out = new HashSet<>();
        List<Parameter> all = trainable();
        for (int i = 0; i < all.size(); i++) {
            if (shallow.contains(all.get(i))) {
                out.add(i);
            }
        }
        return out;
    }

    /** The number p of trainable scalars. */
    public long count() {
        long n = 0;
        for (Parameter p : trainable()) {
            n += p.getArray().size();
        }
        return n;
    }

    /** Makes every trainable parameter record gradients (after initialisation or loading). */
    public void attachGradients() {
        for (Parameter p : trainable()) {
            p.getArray().setRequiresGradient(true);
        }
    }

    /** Sets every gradient to zero. */
    public void zeroGradients() {
        for (Parameter p : trainable()) {
            try (NDArray g = p.getArray().getGradient()) {
                g.subi(g);
            }
        }
    }

    /** The trainable parameters as one flat vector. */
    public float[] flatValues() {
        float[] out = new float[(int) count()];
        int at = 0;
        for (Parameter p : trainable()) {
            float[] part = p.getArray().toFloatArray();
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /**
     * The names (DJL's parameter paths, e.g. {@code 01SequentialBlock_01Conv2d_weight}) of the trainable
     * parameters whose gradient holds a NaN or infinity, in network order: where a faulty step went wrong.
     */
    public List<String> nonFiniteGradients() {
        List<String> out = new ArrayList<>();
        for (Pair<String, Parameter> e : block.getParameters()) {
            Parameter p = e.getValue();
            if (!p.requiresGradient() || !p.getArray().hasGradient()) {
                continue;
            }
            try (NDArray g = p.getArray().getGradient(); NDArray s = g.sum()) {
                if (!Float.isFinite(s.getFloat())) {
                    out.add(e.getKey());
                }
            }
        }
        return out;
    }

    /** The gradients of the trainable parameters as one flat vector. */
    public float[] flatGradients() {
        float[] out = new float[(int) count()];
        int at = 0;
        for (Parameter p : trainable()) {
            try (NDArray g = p.getArray().getGradient()) {
                float[] part = g.toFloatArray();
                System.arraycopy(part, 0, out, at, part.length);
                at += part.length;
            }
        }
        return out;
    }

    /** The checkpoint bytes of the live network (parameters and BatchNorm statistics). */
    public byte[] save() {
        return Checkpoints.save(block);
    }

    /** Replaces every parameter (and BatchNorm statistic) with the checkpoint's, gradients attached. */
    public void load(byte[] checkpoint) {
        List<NDArray> old = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            old.add(p.getArray());
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint))) {
            block.loadParameters(manager, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalArgumentException("checkpoint does not match the network: " + e.getMessage(), e);
        }
        attachGradients();
        old.forEach(NDArray::close);
    }
}
