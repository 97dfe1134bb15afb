package io.splicelab.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A residual block of an inference form with an identity shortcut, {@code relu(conv2(relu(conv1(x) + b1)) + b2 + x)},
 * as two oneDNN convolutions with their ReLU and residual sum fused in ({@code mkldnn::_convolution_pointwise}, the
 * kernels PyTorch's own compiler uses on CPUs).
 *
 * <p>Why: in eager execution every ReLU and every residual sum is one more pass over an activation; on a 2-core CPU
 * they cost about an eighth of a ResNet's deep part (docs/science.md section 9). oneDNN applies them to each tile
 * of the convolution's result while it is still in cache. DJL 0.36 has no call for those kernels, so a two-line
 * TorchScript module that calls them is written here as source and handed to libtorch, which compiles it on load.
 * The post-ops apply to the float32 result of the convolution in the same order as the eager ops, so the output
 * is the eager one bit for bit ({@code FusedResidualTest}).
 *
 * <p>Two forms: into a fresh output, for a block whose input must stay as it is (a deep part's first block reads a
 * cached feature), and into the input's own memory (oneDNN's sum post-op), for a block whose input its pass made and
 * nobody else holds ({@link CutNetwork#forward}). The second allocates nothing, and avoids the copy of a whole
 * activation that libtorch 2.7.1's out-of-place kernel makes on every call: 1.4x on the deep part from the stem on a
 * 2-core VM (docs/science.md section 9).
 *
 * <p>Where libtorch's eager NCHW convolution is another kernel than the fused one (an AVX2-only CPU), plain NCHW
 * inputs run the eager ops inside the module and channels-last inputs (the default) run fused: probed per memory
 * format at load.
 *
 * <p>Used for float32 arrays on the CPU when the module loads (libtorch built with oneDNN); otherwise, and when
 * the system property {@value #PROPERTY}{@code =false} turns it off (to compare), the block runs its eager ops.
 */
public final class FusedResidual {
    /** System property: {@code true} (the default) or {@code false}. */
    public static final String PROPERTY = "splicelab.fused-kernels";
    /** The block on a fresh output: its input stays as it was (a cached feature, say). */
    static final String NAME = "FusedResidual";
    /** The block summed into its input's memory (a ResNet activation nobody else holds): no output is allocated. */
    static final String IN_PLACE = "FusedResidualInPlace";
    /**
     * A stage's first block (stride 2, more channels, option A shortcut, inference form): the first convolution with
     * its ReLU fused, the second plain, the subsampled input added into its channels of the result and the ReLU
     * applied in place; the input is only read.
     */
    static final String TRANSITION = "FusedTransition";

    /**
     * The module's TorchScript source: the first convolution with its ReLU, then the second with the residual sum
     * and ReLU as post-ops, either into a fresh output ({@code _convolution_pointwise}, binary "add") or into the
     * input's own memory ({@code _convolution_pointwise_}, oneDNN's sum post-op: dst = relu(conv + bias + dst)).
     * With {@code eagerForContiguous} a plain NCHW input runs the eager ops instead ({@code conv2d}, {@code relu},
     * {@code add}: what the block's own layers call), for a libtorch whose NCHW convolution is not the fused
     * kernel's (see {@link #load}).
     */
    static String source(String name, boolean eagerForContiguous) {
        if (TRANSITION.equals(name)) {
            return transitionSource(eagerForContiguous);
        }
        boolean inPlace = IN_PLACE.equals(name);
        String eager = !eagerForContiguous ? "" : """
                    if torch.is_contiguous(x):
                      e = torch.relu(torch.conv2d(x, w1, b1, [1, 1], [1, 1], [1, 1], 1))
                      return %s
                """.formatted(inPlace ? "torch.relu_(torch.add_(x, torch.conv2d(e, w2, b2, [1, 1], [1, 1], [1, 1], 1)))"
                        : "torch.relu(torch.add(torch.conv2d(e, w2, b2, [1, 1], [1, 1], [1, 1], 1), x))");
        return module(name, eager + identityBlock("w1", "b1", "w2", "b2", inPlace) + "    return x\n");
    }

    /**
     * TorchScript lines (indented by four spaces) of an identity block on x whose convolutions' weights and biases
     * are the named arguments, x then naming the block's output: the first convolution with its ReLU, the second with
     * the residual sum and ReLU as post-ops, into a fresh output or, {@code inPlace}, into x's own memory.
     */
    static String identityBlock(String w1, String b1, String w2, String b2, boolean inPlace) {
        return pointwise("h", "x", w1, b1, "[1, 1]", "\"relu\"") + (inPlace
                ? "    x = ops.mkldnn._convolution_pointwise_(x, h, %s, %s, [1, 1], [1, 1], [1, 1], 1, \"add\", 1, "
                        + "\"relu\", _none, None)\n"
                : "    x = ops.mkldnn._convolution_pointwise(h, x, %s, %s, [1, 1], [1, 1], [1, 1], 1, \"add\", 1, "
                        + "\"relu\", _none, None)\n").formatted(w2, b2);
    }

    /**
     * TorchScript lines of a stage's first block's convolutions on x ({@code y = conv2(relu(conv1(x) + b1)) + b2},
     * the first at stride 2 with its ReLU fused), each line indented by {@code indent} more than four spaces.
     */
    static String transitionConvolutions(String w1, String b1, String w2, String b2, String indent) {
        return indent + pointwise("h", "x", w1, b1, "[2, 2]", "\"relu\"")
                + indent + pointwise("y", "h", w2, b2, "[1, 1]", "\"none\"");
    }

    /**
     * TorchScript lines that finish a stage's first block from its convolutions' result y: {@code x[:, :, ::2, ::2]}
     * added into the middle channels of y (option A: the zero channels it would append are never made), the ReLU
     * applied to y in place, x then naming the block's output.
     */
    static String transitionShortcut() {
        return """
                    c = torch.size(x, 1)
                    before = torch.floordiv(torch.sub(torch.size(y, 1), c), 2)
                    s = torch.slice(torch.slice(x, 2, 0, 9223372036854775807, 2), 3, 0, 9223372036854775807, 2)
                    _0 = torch.add_(torch.narrow(y, 1, before, c), s)
                    x = torch.relu_(y)
                """;
    }

    private static String pointwise(String out, String in, String w, String b, String stride, String attr) {
        return "    %s = ops.mkldnn._convolution_pointwise(%s, %s, %s, [1, 1], %s, [1, 1], 1, %s, _none, None)\n"
                .formatted(out, in, w, b, stride, attr);
    }

    /**
     * A module class of the archive: no parameters or buffers, {@code forward(x, w1, b1, w2, b2)} with the given body
     * (lines indented by four spaces) after {@code _none}, the empty scalar list of the post-op calls.
     */
    private static String module(String name, String body) {
        return module(name, ",\n    w1: Tensor,\n    b1: Tensor,\n    w2: Tensor,\n    b2: Tensor", body);
    }

    /**
     * A module class named {@code name} without parameters or buffers whose {@code forward} takes the tensor x and
     * then {@code arguments} (each ",\n    name: Tensor"), and runs {@code body} after {@code _none}.
     */
    static String module(String name, String arguments, String body) {
        return """
                class %1$s(Module):
                  __parameters__ = []
                  __buffers__ = []
                  training : bool
                  _is_full_backward_hook : Optional[bool]
                  def forward(self: __torch__.%1$s,
                    x: Tensor%2$s) -> Tensor:
                    _none = annotate(List[Optional[number]], [])
                %3$s""".formatted(name, arguments, body);
    }

    /**
     * The transition block's source: {@code y = conv2(relu(conv1(x) + b1)) + b2} with the first convolution at
     * stride 2 and its ReLU fused, then {@code x[:, :, ::2, ::2]} added into the middle channels of y (option A: the
     * zero channels it would append are never made) and the ReLU applied to y in place. The same arithmetic as the
     * block's eager ops in the same order.
     */
    private static String transitionSource(boolean eagerForContiguous) {
        String body = !eagerForContiguous ? transitionConvolutions("w1", "b1", "w2", "b2", "") : """
                    if torch.is_contiguous(x):
                      h0 = torch.relu(torch.conv2d(x, w1, b1, [2, 2], [1, 1], [1, 1], 1))
                      y0 = torch.conv2d(h0, w2, b2, [1, 1], [1, 1], [1, 1], 1)
                      y = y0
                    else:
                """ + transitionConvolutions("w1", "b1", "w2", "b2", "  ");
        return module(TRANSITION, body + transitionShortcut() + "    return x\n");
    }

    private FusedResidual() {
    }

    /** Whether fused blocks are wanted in this process (not turned off by {@value #PROPERTY}). */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /** Whether the fused kernels loaded in this process. */
    public static boolean available() {
        return enabled() && Holder.MODULE != null && Holder.IN_PLACE_MODULE != null;
    }

    /** Whether the fused transition block loaded in this process. */
    static boolean transitionAvailable() {
        return enabled() && Holder.TRANSITION_MODULE != null;
    }

    /**
     * A stage's first block with an option A shortcut in the inference form ({@link #TRANSITION}), or null when the
     * fused kernels cannot run it (as {@link #apply}, and for a stride other than 2): the caller then runs the eager
     * ops. {@code conv1} is the 3x3 convolution at stride 2, {@code conv2} the 3x3 one at stride 1, both with biases.
     * x is not written.
     */
    static NDList transition(ParameterStore ps, NDArray x, Conv2d conv1, Conv2d conv2) {
        if (!transitionAvailable() || !runsHere(x) || !new Shape(2, 2).equals(conv1.getStride())) {
            return null;
        }
        return Holder.TRANSITION_MODULE.forward(ps, new NDList(x, weight(ps, conv1, x), bias(ps, conv1, x),
                weight(ps, conv2, x), bias(ps, conv2, x)), false);
    }

    /** Whether x is what the fused kernels take: a float32 image batch on the CPU. */
    static boolean runsHere(NDArray x) {
        return x.getDataType() == DataType.FLOAT32 && ai.djl.Device.Type.CPU.equals(x.getDevice().getDeviceType())
                && x.getShape().dimension() == 4;
    }

    private static NDArray weight(ParameterStore ps, Conv2d conv, NDArray x) {
        return ps.getValue(conv.getParameters().get("weight"), x.getDevice(), false);
    }

    private static NDArray bias(ParameterStore ps, Conv2d conv, NDArray x) {
        return ps.getValue(conv.getParameters().get("bias"), x.getDevice(), false);
    }

    /**
     * The block's output, or null when the fused kernels cannot run it (not float32 on the CPU, not loaded, turned
     * off): the caller then runs the eager ops. {@code conv1} and {@code conv2} are 3x3 convolutions, stride 1,
     * padding 1, with the biases of a folded BatchNorm. With {@code overwriteInput} the result is written into x's
     * memory (and returned): only for an x no one will read again.
     */
    static NDList apply(ParameterStore ps, NDArray x, Conv2d conv1, Conv2d conv2, boolean overwriteInput) {
        if (!available() || !runsHere(x)) {
            return null;
        }
        NDArray w1 = weight(ps, conv1, x);
        NDArray b1 = bias(ps, conv1, x);
        NDArray w2 = weight(ps, conv2, x);
        NDArray b2 = bias(ps, conv2, x);
        return (overwriteInput ? Holder.IN_PLACE_MODULE : Holder.MODULE).forward(ps, new NDList(x, w1, b1, w2, b2),
                false);
    }

    /** Loads the modules once, into a manager that lives as long as the process; null when libtorch refuses them. */
    private static final class Holder {
        static final PtSymbolBlock MODULE = load(NAME);
        static final PtSymbolBlock IN_PLACE_MODULE = load(IN_PLACE);
        static final PtSymbolBlock TRANSITION_MODULE = load(TRANSITION);
    }

    /**
     * Compiles a module and probes it in both memory formats. Where the fused kernel's plain NCHW result is not the
     * eager ops' bit for bit (libtorch 2.7.1 on an AVX2-only CPU: its eager NCHW convolution is another kernel,
     * which sums in another order, while channels-last is the same oneDNN kernel), the module is compiled again
     * with the eager ops for NCHW inputs, so that a block's result never depends on whether the fused kernels
     * loaded. Null when even channels-last differs, or libtorch refuses the module: the blocks then run eagerly.
     */
    private static PtSymbolBlock load(String name) {
        System.Logger log = System.getLogger(FusedResidual.class.getName());
        try {
            NDManager owner = NDManager.newBaseManager();
            PtSymbolBlock module = compile(name, false, owner);
            if (!agrees(name, module, true, owner)) {
                throw new IllegalStateException("the fused kernels' channels-last result differs from the eager ops'");
            }
            if (!agrees(name, module, false, owner)) {
                log.log(System.Logger.Level.INFO, name + ": plain NCHW inputs run the eager ops (this libtorch's NCHW "
                        + "convolution is not the fused kernel); channels-last inputs run fused");
                module = compile(name, true, owner);
                if (!agrees(name, module, true, owner) || !agrees(name, module, false, owner)) {
                    throw new IllegalStateException("the module with eager NCHW ops differs from the eager ops");
                }
            }
            return module;
        } catch (RuntimeException | LinkageError | IOException e) {
            log.log(System.Logger.Level.WARNING, "fused residual blocks unavailable, eager ops instead: " + e);
            return null;
        }
    }

    static PtSymbolBlock compile(String name, boolean eagerForContiguous, NDManager owner) throws IOException {
        return compile(name, source(name, eagerForContiguous), owner);
    }

    /** Compiles a module class named {@code name} from its TorchScript source, its arrays owned by {@code owner}. */
    static PtSymbolBlock compile(String name, String source, NDManager owner) throws IOException {
        return JniUtils.loadModule((PtNDManager) owner, new ByteArrayInputStream(archive(name, source)), true, false);
    }

    /**
     * Runs the module once on a small block in one memory format, single-threaded, before anyone else may, and
     * compares it with the eager ops: a libtorch whose kernels are missing or differ fails here.
     */
    static boolean agrees(String name, PtSymbolBlock module, boolean channelsLast, NDManager owner) {
        boolean transition = TRANSITION.equals(name);
        try (NDManager m = owner.newSubManager()) {
            int n = 2;
            int c = transition ? 4 : 8;
            int out = 8;
            int size = 6;
            float[] values = m.randomNormal(new Shape(n, c, size, size)).toFloatArray();
            NDArray x = channelsLast ? ChannelsLast.fromNhwc(m.create(ChannelsLast.toNhwc(values, n, c, size * size),
                    new Shape(n, size, size, c))) : m.create(values, new Shape(n, c, size, size));
            NDArray w1 = m.randomNormal(new Shape(out, c, 3, 3));
            NDArray b1 = m.randomNormal(new Shape(out));
            NDArray w2 = m.randomNormal(new Shape(out, out, 3, 3));
            NDArray b2 = m.randomNormal(new Shape(out));
            Shape one = new Shape(1, 1);
            NDArray h = Activation.relu(Conv2d.conv2d(x, w1, b1, transition ? new Shape(2, 2) : one, one)
                    .singletonOrThrow());
            NDArray y = Conv2d.conv2d(h, w2, b2, one, one).singletonOrThrow();
            float[] eager;
            if (transition) {
                y.get(new NDIndex(":, {}:{}", (out - c) / 2, (out - c) / 2 + c)).addi(x.get(":, :, ::2, ::2"));
                eager = Activation.relu(y).toFloatArray();
            } else {
                eager = Activation.relu(y.add(x)).toFloatArray();
            }
            // last: the in-place module overwrites x
            float[] fused = module.forward(new ParameterStore(m, false), new NDList(x, w1, b1, w2, b2), false)
                    .singletonOrThrow().toFloatArray();
            return Arrays.equals(fused, eager);
        }
    }

    /** A TorchScript archive (format version 3) holding a module above: its source, an empty object, no constants. */
    static byte[] archive(String name, String source) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            String dir = name.toLowerCase() + "/";
            stored(zip, dir + "data.pkl", objectPickle(name));
            stored(zip, dir + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            stored(zip, dir + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            stored(zip, dir + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /**
     * The pickle (protocol 2) of a {@code __torch__.<name>} object whose state is {@code training = True,
     * _is_full_backward_hook = None}, as {@code torch.jit.save} writes a module without parameters.
     */
    private static byte[] objectPickle(String name) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        ascii(p, "c__torch__\n" + name + "\n"); // GLOBAL
        p.write('q');
        p.write(0);
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        string(p, "training");
        p.write('q');
        p.write(1);
        p.write(0x88); // NEWTRUE
        string(p, "_is_full_backward_hook");
        p.write('q');
        p.write(2);
        p.write('N'); // NONE
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.write('q');
        p.write(3);
        p.write('.'); // STOP
        return p.toByteArray();
    }

    private static void string(ByteArrayOutputStream p, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        p.write('X'); // BINUNICODE, 4-byte little-endian length
        p.write(b.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(b);
    }

    private static void ascii(ByteArrayOutputStream p, String s) {
        p.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** An uncompressed entry (libtorch's reader maps the archive's entries as they are). */
    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
