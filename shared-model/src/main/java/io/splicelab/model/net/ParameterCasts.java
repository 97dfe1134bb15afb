package io.splicelab.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.lang.reflect.Field;

/**
 * Converts every parameter of a network (weights, BatchNorm statistics) to another data type in place,
 * for the reduced-precision evaluation mode. DJL's {@code Block.cast} is not implemented for its
 * built-in blocks (it throws), and {@link Parameter#setArray} refuses an initialised parameter, so the
 * array is replaced through the parameter's private field; the old array is closed.
 */
public final class ParameterCasts {
    private static final Field ARRAY = DjlPrivateFields.of(Parameter.class, "array");

    private ParameterCasts() {
    }

    /** Casts every initialised parameter of {@code block} to {@code type}; parameters already of it stay. */
    public static void cast(Block block, DataType type) {
        for (Parameter p : block.getParameters().values()) {
            if (!p.isInitialized() || p.getArray().getDataType() == type) {
                continue;
            }
            replace(p, p.getArray().toType(type, false));
        }
    }

    /** Puts {@code array} in place of an initialised parameter's array, which is closed. */
    static void replace(Parameter p, NDArray array) {
        NDArray old = p.getArray();
        array.setName(old.getName());
        try {
            ARRAY.set(p, array);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot replace the array of parameter " + p.getName(), e);
        }
        old.close();
    }
}
