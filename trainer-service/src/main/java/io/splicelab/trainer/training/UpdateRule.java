package io.splicelab.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.splicelab.model.events.RunConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import io.splicelab.model.features.Npy;
import java.util.LinkedHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An optimizer whose whole state (momentum buffers, Adam moments, step count) can be saved with a
 * checkpoint and restored, which DJL's built-in optimizers do not allow: a resumed run continues with
 * exactly the state an uninterrupted one has. Parameters are identified by their position in the
 * network's list of trainable parameters, which is stable across processes (DJL's ids are not).
 *
 * <p>State artifact format: a NumPy {@code .npz} that {@code numpy.load} opens: {@code rule} (the rule's name,
 * a string), {@code steps} (int64, steps taken) and, per parameter position p, its state arrays
 * {@code p<p>_<i>} (float32, in the parameter's shape). States saved before the move to NumPy (big-endian,
 * magic {@code SLOS}) are still read, so a run started earlier resumes.
 */
public abstract class UpdateRule {
    public static final String MEDIA_TYPE = Npy.NPZ_MEDIA_TYPE;
    private static final int MAGIC = 0x534C4F53; // "SLOS", the format before .npz
    private static final Pattern STATE_ARRAY = Pattern.compile("p(\\d+)_(\\d+)");

    /** Per parameter position, the state arrays (owned by the parameter's manager). */
    protected final Map<Integer, NDArray[]> state = new TreeMap<>();
    protected long steps;
    protected final float weightDecay;

    protected UpdateRule(float weightDecay) {
        this.weightDecay = weightDecay;
    }

    /** SGD (PyTorch semantics, L2 weight decay, optional Nesterov) or Adam, as configured. */
    public static UpdateRule of(RunConfig config) {
        return switch (config.optimizer()) {
            case "adam" -> new Adam(config.momentum().floatValue(), 0.999f, 1e-8f, config.weightDecay().floatValue());
            default -> new Sgd(config.momentum().floatValue(), Boolean.TRUE.equals(config.nesterov()),
                    config.weightDecay().floatValue());
        };
    }

    public abstract String name();

    /** Counts one optimizer step; call once per step before the updates of that step. */
    public void beginStep() {
        steps++;
    }

    /**
     * Updates {@code weight} in place from {@code grad} (which it may overwrite) with learning rate lr.
     * Runs outside gradient recording.
     */
    public abstract void update(int position, NDArray weight, NDArray grad, float lr);

    protected NDArray[] stateOf(int position, NDArray weight, int arrays) {
        return state.computeIfAbsent(position, p -> {
            NDArray[] s = new NDArray[arrays];
            for (int i = 0; i < arrays; i++) {
                s[i] = weight.zerosLike();
            }
            return s;
        });
    }

    /** Serialises the state as an {@code .npz} (see the class comment). */
    public byte[] save() {
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put("rule", Npy.string(name()));
        arrays.put("steps", Npy.longs(new long[] {steps}));
        for (Map.Entry<Integer, NDArray[]> e : state.entrySet()) {
            for (int i = 0; i < e.getValue().length; i++) {
                NDArray a = e.getValue()[i];
                arrays.put("p" + e.getKey() + "_" + i, Npy.floats(a.toFloatArray(), a.getShape().getShape()));
            }
        }
        return Npy.npz(arrays);
    }

    /** Restores state saved by {@link #save()} (or the earlier SLOS format); arrays are created on the manager. */
    public void load(byte[] data, NDManager manager) {
        if (data.length >= 4 && ByteBuffer.wrap(data).getInt() == MAGIC) {
            loadSlos(data, manager);
            return;
        }
        Map<String, Npy.Array> arrays = Npy.readNpz(data, 8L * data.length + (1 << 20));
        if (!arrays.containsKey("rule") || !arrays.containsKey("steps")) {
            throw new IllegalArgumentException("not an optimizer state (no rule or steps array)");
        }
        String rule = arrays.get("rule").string();
        if (!rule.equals(name())) {
            throw new IllegalArgumentException("optimizer state of " + rule + ", expected " + name());
        }
        Map<Integer, List<NDArray>> restored = new TreeMap<>();
        for (Map.Entry<String, Npy.Array> e : arrays.entrySet()) {
            Matcher m = STATE_ARRAY.matcher(e.getKey());
            if (!m.matches()) {
                continue;
            }
            List<NDArray> list = restored.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>());
            if (Integer.parseInt(m.group(2)) != list.size()) {
                throw new IllegalArgumentException("optimizer state array " + e.getKey() + " out of order");
            }
            list.add(manager.create(e.getValue().floats(), new Shape(e.getValue().shape())));
        }
        replaceState(arrays.get("steps").longs()[0], restored);
    }

    private void replaceState(long steps, Map<Integer, List<NDArray>> restored) {
        this.steps = steps;
        state.values().forEach(arrays -> {
            for (NDArray a : arrays) {
                a.close();
            }
        });
        state.clear();
        restored.forEach((position, list) -> state.put(position, list.toArray(NDArray[]::new)));
    }

    /** The SLOS format written before the move to NumPy (kept so that earlier stores stay readable). */
    byte[] saveSlos() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(1);
            out.writeUTF(name());
            out.writeLong(steps);
            out.writeInt(state.size());
            for (Map.Entry<Integer, NDArray[]> e : state.entrySet()) {
                out.writeInt(e.getKey());
                out.writeInt(e.getValue().length);
                for (NDArray a : e.getValue()) {
                    long[] shape = a.getShape().getShape();
                    out.writeInt(shape.length);
                    for (long d : shape) {
                        out.writeLong(d);
                    }
                    for (float v : a.toFloatArray()) {
                        out.writeFloat(v);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void loadSlos(byte[] data, NDManager manager) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != MAGIC || in.readInt() != 1) {
                throw new IllegalArgumentException("not an optimizer state (bad magic or version)");
            }
            String rule = in.readUTF();
            if (!rule.equals(name())) {
                throw new IllegalArgumentException("optimizer state of " + rule + ", expected " + name());
            }
            long taken = in.readLong();
            int entries = in.readInt();
            Map<Integer, List<NDArray>> restored = new TreeMap<>();
            for (int e = 0; e < entries; e++) {
                int position = in.readInt();
                int arrays = in.readInt();
                List<NDArray> list = new ArrayList<>();
                for (int a = 0; a < arrays; a++) {
                    long[] shape = new long[in.readInt()];
                    long count = 1;
                    for (int d = 0; d < shape.length; d++) {
                        shape[d] = in.readLong();
                        count *= shape[d];
                    }
                    float[] values = new float[(int) count];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = in.readFloat();
                    }
                    list.add(manager.create(values, new Shape(shape)));
                }
                restored.put(position, list);
            }
            replaceState(taken, restored);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated optimizer state", e);
        }
    }

    /**
     * Minibatch SGD with L2 weight decay. Plain momentum uses DJL's fused update (one native call per
     * tensor; it works on a copy of the gradient and leaves the gradient as it was): v = mu v - lr (g + wd w); w += v. Nesterov momentum follows
     * PyTorch: d = g + wd w; v = mu v + d; w -= lr (d + mu v). With a constant rate the two conventions
     * give the same trajectory.
     */
    static final class Sgd extends UpdateRule {
        private final float momentum;
        private final boolean nesterov;

        Sgd(float momentum, boolean nesterov, float weightDecay) {
            super(weightDecay);
            this.momentum = momentum;
            this.nesterov = nesterov;
        }

        @Override
        public String name() {
            return nesterov ? "sgd-nesterov" : "sgd";
        }

        @Override
        public void update(int position, NDArray weight, NDArray grad, float lr) {
            if (!nesterov) {
                NDList inputs = momentum == 0 ? new NDList(weight, grad)
                        : new NDList(weight, grad, stateOf(position, weight, 1)[0]);
                weight.getNDArrayInternal().sgdUpdate(inputs, new NDList(weight), lr, weightDecay, 1f, -1f, momentum,
                        true);
                return;
            }
            if (weightDecay != 0) {
                try (NDArray decay = weight.mul(weightDecay)) {
                    grad.addi(decay);
                }
            }
            NDArray v = stateOf(position, weight, 1)[0];
            v.muli(momentum).addi(grad);
            try (NDArray mv = v.mul(momentum)) {
                grad.addi(mv);
            }
            try (NDArray delta = grad.mul(lr)) {
                weight.subi(delta);
            }
        }
    }

    /** Adam (Kingma and Ba) with L2 weight decay added to the gradient, bias-corrected. */
    static final class Adam extends UpdateRule {
        private final float beta1;
        private final float beta2;
        private final float epsilon;

        Adam(float beta1, float beta2, float epsilon, float weightDecay) {
            super(weightDecay);
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.epsilon = epsilon;
        }

        @Override
        public String name() {
            return "adam";
        }

        @Override
        public void update(int position, NDArray weight, NDArray grad, float lr) {
            if (weightDecay != 0) {
                try (NDArray decay = weight.mul(weightDecay)) {
                    grad.addi(decay);
                }
            }
            NDArray[] s = stateOf(position, weight, 2);
            try (NDArray g1 = grad.mul(1 - beta1); NDArray g2 = grad.square()) {
                s[0].muli(beta1).addi(g1);
                g2.muli(1 - beta2);
                s[1].muli(beta2).addi(g2);
            }
            double c1 = 1 - Math.pow(beta1, steps);
            double c2 = 1 - Math.pow(beta2, steps);
            float stepSize = (float) (lr / c1);
            try (NDArray denom = s[1].div((float) c2); NDArray root = denom.sqrt()) {
                root.addi(epsilon);
                try (NDArray ratio = s[0].div(root)) {
                    ratio.muli(stepSize);
                    weight.subi(ratio);
                }
            }
        }
    }
}
