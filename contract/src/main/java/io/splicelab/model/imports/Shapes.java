package io.splicelab.model.imports;

import java.util.List;

/**
 * Tensor shapes as a manifest declares them and as an ONNX graph does, so the two can be compared: a list with one
 * entry per dimension, each a size (a whole number) or dynamic. A manifest may give the batch dimension (the first)
 * as {@code null}, {@code -1} or a name such as {@code "N"}, which all mean dynamic; a graph's dimension is a size
 * ({@code dim_value}), a name ({@code dim_param}) or not given (null). Shapes are printed as given, so a problem
 * reads {@code [-1, 64, 8, 8]} against {@code [N, 64, 16, 16]}.
 */
public final class Shapes {
    /** The most dimensions a declared shape may have. */
    static final int MAX_RANK = 8;

    private Shapes() {
    }

    /** Whether a dimension is dynamic: null, negative or a name. */
    public static boolean dynamic(Object dim) {
        return dim == null || dim instanceof String || (dim instanceof Number n && n.longValue() < 0);
    }

    /**
     * Whether two shapes can describe the same tensor: the same rank, and every dimension equal or dynamic in one
     * of them. A shape that is null (not declared) fits anything.
     */
    public static boolean compatible(List<?> a, List<?> b) {
        if (a == null || b == null) {
            return true;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (!dynamic(x) && !dynamic(y) && ((Number) x).longValue() != ((Number) y).longValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a declared shape: 1 to {@value #MAX_RANK} dimensions, each a positive whole number, except the batch
     * dimension (the first), which may be dynamic.
     *
     * @return what is wrong with it, or null when it is well-formed
     */
    static String problem(List<Object> shape) {
        if (shape.isEmpty() || shape.size() > MAX_RANK) {
            return "must list 1 to " + MAX_RANK + " dimensions, got " + shape;
        }
        for (int i = 0; i < shape.size(); i++) {
            Object d = shape.get(i);
            boolean ok = (d instanceof Integer || d instanceof Long) && ((Number) d).longValue() > 0;
            if (i == 0) {
                ok |= d == null || (d instanceof String s && !s.isBlank())
                        || ((d instanceof Integer || d instanceof Long) && ((Number) d).longValue() == -1);
            }
            if (!ok) {
                return "must list positive whole numbers (the batch dimension, the first, may be null, -1 or a name "
                        + "such as \"N\": dynamic), got " + shape;
            }
        }
        return null;
    }

    /** The shape a batch of tensors of the given per-item shape has, its batch dimension dynamic. */
    static List<Object> batchOf(List<? extends Number> item) {
        java.util.ArrayList<Object> shape = new java.util.ArrayList<>();
        shape.add("N");
        shape.addAll(item);
        return shape;
    }
}
