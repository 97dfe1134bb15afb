package io.splicelab.splicer.splicing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.splicelab.model.imports.ImportManifest;
import io.splicelab.model.imports.InvalidManifestException;
import io.splicelab.model.net.ChannelsLast;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An imported checkpoint as a segmented network: one ONNX Runtime session per segment of its
 * {@link ImportManifest}, run on the CPU. Arrays cross between DJL and ONNX Runtime as float32 buffers: the
 * grid's features stay DJL arrays (in the caller's manager) and are cached like those of a trained network.
 *
 * <p><b>Normalisation.</b> The grid feeds every network the evaluation images as the dataset loader made them,
 * already normalised with the dataset's own mean and std ({@link io.splicelab.model.data.DatasetInfo}). An
 * imported network expects its manifest's normalisation of the pixels instead, so this class, and only this
 * class, converts at the entrance of the first segment (when a forward pass starts at segment 0), per channel c:
 * {@code x' = ((x * datasetStd[c] + datasetMean[c]) - mean[c]) / std[c]}. Features at a cut are never
 * renormalised, so hybrids of imported checkpoints see exactly what the imported network computes.
 *
 * <p>Imported networks carry their BatchNorm statistics folded into their graphs: their parameters are unknown
 * to the grid ({@link #segmentParameters()} is null, so cells have no parameter distance) and their deep parts
 * cannot be recalibrated (only BatchNorm mode {@code carry}).
 */
public final class OnnxSegmentedNet implements SegmentedNet {
    private final ImportManifest manifest;
    private final List<OrtSession> sessions;
    private final List<String> inputNames;
    private final float[] scale;
    private final float[] shift;

    private OnnxSegmentedNet(ImportManifest manifest, List<OrtSession> sessions, float[] scale, float[] shift) {
        this.manifest = manifest;
        this.sessions = sessions;
        this.scale = scale;
        this.shift = shift;
        this.inputNames = new ArrayList<>();
        for (OrtSession s : sessions) {
            inputNames.add(s.getInputNames().iterator().next());
        }
    }

    /**
     * Opens one session per segment.
     *
     * @param manifest the validated manifest
     * @param segmentFiles the ONNX files' bytes, in the manifest's segment order
     * @param datasetMean the per-channel mean the evaluation images were normalised with
     * @param datasetStd the per-channel std the evaluation images were normalised with
     * @param plan how ONNX Runtime runs each segment (threads, graph optimisation)
     * @throws InvalidManifestException when a file is not a segment ONNX Runtime can run (one float input, one
     *     output), or the first segment's input does not take the manifest's image shape
     */
    public static OnnxSegmentedNet load(ImportManifest manifest, List<byte[]> segmentFiles, float[] datasetMean,
            float[] datasetStd, OnnxSessionPlan plan) {
        if (segmentFiles.size() != manifest.segments().size()) {
            throw new InvalidManifestException("segments: " + manifest.segments().size() + " in the manifest but "
                    + segmentFiles.size() + " files");
        }
        int c = manifest.channels();
        if (datasetMean.length != c || datasetStd.length != c) {
            throw new InvalidManifestException("input.shape: " + c + " channels, but the evaluation images have "
                    + datasetMean.length);
        }
        float[] mean = manifest.mean();
        float[] std = manifest.std();
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            scale[i] = datasetStd[i] / std[i];
            shift[i] = (datasetMean[i] - mean[i]) / std[i];
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OrtSession> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < segmentFiles.size(); i++) {
                String name = manifest.segments().get(i).name();
                try (OrtSession.SessionOptions options = plan.options()) {
                    OrtSession session = env.createSession(segmentFiles.get(i), options);
                    sessions.add(session);
                    check(manifest, i, name, session);
                } catch (OrtException e) {
                    throw new InvalidManifestException("segment '" + name + "' (" + manifest.segments().get(i).file()
                            + ") cannot be loaded by ONNX Runtime: " + e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            closeAll(sessions);
            throw e;
        }
        return new OnnxSegmentedNet(manifest, sessions, scale, shift);
    }

    private static void check(ImportManifest manifest, int i, String name, OrtSession session) throws OrtException {
        if (session.getNumInputs() != 1 || session.getNumOutputs() != 1) {
            throw new InvalidManifestException("segment '" + name + "' must have one input and one output, has "
                    + session.getNumInputs() + " and " + session.getNumOutputs());
        }
        NodeInfo in = session.getInputInfo().values().iterator().next();
        if (!(in.getInfo() instanceof TensorInfo t) || t.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            throw new InvalidManifestException("segment '" + name + "' must take a float32 tensor, takes "
                    + in.getInfo());
        }
        if (i == 0) {
            long[] shape = t.getShape();
            long[] want = {-1, manifest.channels(), manifest.height(), manifest.width()};
            boolean ok = shape.length == 4;
            for (int d = 1; ok && d < 4; d++) {
                ok = shape[d] < 0 || shape[d] == want[d];
            }
            if (!ok) {
                throw new InvalidManifestException("segment '" + name + "' takes input of shape "
                        + java.util.Arrays.toString(shape) + ", but input.shape is " + manifest.input().shape());
            }
        }
    }

    public ImportManifest manifest() {
        return manifest;
    }

    @Override
    public int segmentCount() {
        return sessions.size();
    }

    @Override
    public int cutIndex(String cut) {
        return manifest.cutIndex(cut);
    }

    /** Runs segments {@code [from, to)}; the result lives in the input's manager. Inference only. */
    @Override
    public NDList forward(ParameterStore ps, NDList x, int from, int to, boolean training) {
        if (training) {
            throw new UnsupportedOperationException("an imported network runs in inference mode only");
        }
        NDArray input = x.singletonOrThrow();
        float[] data = input.toType(DataType.FLOAT32, false).toFloatArray();
        long[] shape = input.getShape().getShape();
        if (from == 0 && to > 0) {
            normalise(data, shape);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (int i = from; i < to; i++) {
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
                    OrtSession.Result result = sessions.get(i).run(Map.of(inputNames.get(i), tensor))) {
                OnnxTensor out = (OnnxTensor) result.get(0);
                shape = out.getInfo().getShape();
                FloatBuffer buffer = out.getFloatBuffer();
                data = new float[buffer.remaining()];
                buffer.get(data);
            } catch (OrtException | ClassCastException e) {
                throw new IllegalArgumentException("segment '" + manifest.segments().get(i).name()
                        + "' of the imported checkpoint failed on input " + java.util.Arrays.toString(shape) + ": "
                        + e.getMessage(), e);
            }
        }
        return new NDList(engineArray(input.getManager(), data, new Shape(shape)));
    }

    /**
     * An array in the engine's own memory. DJL's PyTorch engine wraps an array created from Java data around a
     * direct {@link java.nio.ByteBuffer} and keeps that buffer for the array's lifetime, so features cached from
     * such arrays would pile up in direct memory (capped by {@code -XX:MaxDirectMemorySize}, by default the heap
     * size) instead of under the feature cache's budget: the copy lives in libtorch's allocator and the
     * buffer-backed original is closed at once (its buffer becomes garbage). Image-shaped features come out
     * channels-last, like every other image batch of the engine ({@link ChannelsLast}), so resident and spilled
     * features of an imported network take the same kernels.
     */
    static NDArray engineArray(ai.djl.ndarray.NDManager manager, float[] data, Shape shape) {
        try (ai.djl.ndarray.NDManager staging = manager.newSubManager()) {
            NDArray wrapped = shape.dimension() == 4
                    ? ChannelsLast.images(staging, data, (int) shape.get(0), (int) shape.get(1), (int) shape.get(2),
                            (int) shape.get(3))
                    : staging.create(data, shape);
            NDArray owned = wrapped.duplicate();
            owned.attach(manager);
            return owned;
        }
    }

    private void normalise(float[] data, long[] shape) {
        if (shape.length != 4 || shape[1] != scale.length) {
            throw new IllegalArgumentException("images of shape " + java.util.Arrays.toString(shape)
                    + " do not match the imported input shape " + manifest.input().shape());
        }
        int plane = (int) (shape[2] * shape[3]);
        int channels = scale.length;
        for (int n = 0, at = 0; n < shape[0]; n++) {
            for (int c = 0; c < channels; c++) {
                float a = scale[c];
                float b = shift[c];
                for (int p = 0; p < plane; p++, at++) {
                    data[at] = data[at] * a + b;
                }
            }
        }
    }

    /** Unknown: an imported graph's weights are not read back. */
    @Override
    public float[][] segmentParameters() {
        return null;
    }

    @Override
    public List<BatchNorm> batchNorms(int from, int to) {
        return List.of();
    }

    @Override
    public boolean recalibratable() {
        return false;
    }

    @Override
    public void close() {
        closeAll(sessions);
    }

    private static void closeAll(List<OrtSession> sessions) {
        for (OrtSession s : sessions) {
            try {
                s.close();
            } catch (OrtException e) {
                // nothing to do: the session is gone either way
            }
        }
        sessions.clear();
    }
}
