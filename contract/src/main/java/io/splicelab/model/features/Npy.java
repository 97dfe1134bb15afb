package io.splicelab.model.features;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.LocalDateTime;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's own file formats for the artifacts a user may want to open: {@code .npy} (one array; format 1.0,
 * little-endian, C order) and {@code .npz} (a zip of {@code .npy} files, one per name), so that
 * {@code numpy.load} reads feature snapshots, noise matrices and optimizer states as they are, and any language
 * with a zip reader can too. Only what the artifacts need: float32 ({@code <f4}), int32 ({@code <i4}), int64
 * ({@code <i8}) and unicode strings ({@code <U}); reading also takes big-endian variants. A malformed input
 * gives an {@link IllegalArgumentException} saying what is wrong.
 */
public final class Npy {
    /** Media type of a {@code .npy} artifact. */
    public static final String NPY_MEDIA_TYPE = "application/x-npy";
    /** Media type of a {@code .npz} artifact. */
    public static final String NPZ_MEDIA_TYPE = "application/x-npz";
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** Arrays per archive a reader accepts: far above what an artifact holds, far below a zip bomb's count. */
    private static final int MAX_ENTRIES = 10_000;
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npy() {
    }

    /**
     * The number of elements of an array of this shape (1 for a scalar's empty shape). Exact: a header
     * whose shape overflows a long is hostile, and fails here with an ArithmeticException instead of
     * wrapping into a small, plausible size.
     */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The parsed header of a {@code .npy} array: dtype, shape and where the data starts. */
    public record Header(String descr, long[] shape, int dataOffset) {
        /** Number of elements. */
        public long count() {
            return elementCount(shape);
        }

        /** Bytes per element (for {@code <Un}: 4 n). */
        public int itemSize() {
            String type = descr.substring(1);
            return switch (type) {
                case "u1", "i1", "b1" -> 1;
                case "u2", "i2" -> 2;
                case "u4", "i4", "f4" -> 4;
                case "u8", "i8", "f8" -> 8;
                default -> {
                    if (type.startsWith("U")) {
                        yield 4 * Integer.parseInt(type.substring(1));
                    }
                    throw new IllegalArgumentException("unsupported dtype " + descr);
                }
            };
        }

        public ByteOrder order() {
            return descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }
    }

    /** One array read from a {@code .npy}: its header and its data bytes. */
    public record Array(Header header, ByteBuffer data) {
        public long[] shape() {
            return header.shape();
        }

        /** The values of a float32 array, row-major. */
        public float[] floats() {
            require("f4");
            float[] out = new float[(int) header.count()];
            data.duplicate().order(header.order()).asFloatBuffer().get(out);
            return out;
        }

        /** The values of an int32 array, row-major. */
        public int[] ints() {
            require("i4");
            int[] out = new int[(int) header.count()];
            data.duplicate().order(header.order()).asIntBuffer().get(out);
            return out;
        }

        /** The values of an int64 array, row-major. */
        public long[] longs() {
            require("i8");
            long[] out = new long[(int) header.count()];
            data.duplicate().order(header.order()).asLongBuffer().get(out);
            return out;
        }

        /** The value of a unicode string scalar ({@code <Un}, shape ()). */
        public String string() {
            if (!header.descr().substring(1).startsWith("U") || header.shape().length != 0) {
                throw new IllegalArgumentException("expected a string scalar, found " + header.descr() + " "
                        + Arrays.toString(header.shape()));
            }
            ByteBuffer b = data.duplicate().order(header.order());
            StringBuilder s = new StringBuilder();
            while (b.remaining() >= 4) {
                int cp = b.getInt();
                if (cp == 0) {
                    break;
                }
                s.appendCodePoint(cp);
            }
            return s.toString();
        }

        /** The shape as rows x columns of a 2-D array (a 1-D array is one row). */
        public long[] matrixShape() {
            long[] s = header.shape();
            return switch (s.length) {
                case 1 -> new long[] {1, s[0]};
                case 2 -> s;
                default -> throw new IllegalArgumentException("expected a matrix, found shape " + Arrays.toString(s));
            };
        }

        private void require(String type) {
            if (!header.descr().substring(1).equals(type)) {
                throw new IllegalArgumentException("expected dtype " + type + ", found " + header.descr());
            }
        }
    }

    /** A float32 array of the given shape as {@code .npy} bytes. */
    public static byte[] floats(float[] values, long... shape) {
        ByteBuffer data = buffer(values.length * 4L);
        data.asFloatBuffer().put(values);
        return withHeader("<f4", shape, data);
    }

    /** An int32 array of the given shape as {@code .npy} bytes. */
    public static byte[] ints(int[] values, long... shape) {
        ByteBuffer data = buffer(values.length * 4L);
        data.asIntBuffer().put(values);
        return withHeader("<i4", shape, data);
    }

    /** An int64 array of the given shape as {@code .npy} bytes. */
    public static byte[] longs(long[] values, long... shape) {
        ByteBuffer data = buffer(values.length * 8L);
        data.asLongBuffer().put(values);
        return withHeader("<i8", shape, data);
    }

    /** A unicode string scalar ({@code numpy.str_}) as {@code .npy} bytes. */
    public static byte[] string(String value) {
        int[] cps = value.codePoints().toArray();
        int n = Math.max(1, cps.length);
        ByteBuffer data = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int cp : cps) {
            data.putInt(cp);
        }
        return withHeader("<U" + n, new long[0], data);
    }

    private static ByteBuffer buffer(long bytes) {
        if (bytes > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException("array too large for one artifact: " + bytes + " bytes");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] withHeader(String descr, long[] shape, ByteBuffer data) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        Header h = new Header(descr, shape, 0);
        if (count * h.itemSize() != data.capacity()) {
            throw new IllegalArgumentException(data.capacity() + " bytes of data do not fill shape "
                    + Arrays.toString(shape) + " of " + descr);
        }
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String dimsText = shape.length == 1 ? dims.substring(0, dims.length() - 1)
                : shape.length == 0 ? "" : dims.substring(0, dims.length() - 2);
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dimsText + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + headerBytes.length + data.capacity())
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerBytes.length).put(headerBytes);
        out.put(data.array());
        return out.array();
    }

    /** Parses a {@code .npy} (versions 1-3) held in memory; the data is checked to be all there. */
    public static Array read(byte[] npy) {
        if (npy.length < MAGIC.length + 4 || !Arrays.equals(Arrays.copyOf(npy, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("not a .npy array (bad magic)");
        }
        int major = npy[6];
        ByteBuffer b = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength;
        int offset;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(b.getShort(8));
            offset = 10;
        } else if (major == 2 || major == 3) {
            headerLength = b.getInt(8);
            offset = 12;
        } else {
            throw new IllegalArgumentException("unsupported .npy version " + major);
        }
        if (headerLength < 0 || offset + (long) headerLength > npy.length) {
            throw new IllegalArgumentException("truncated .npy header");
        }
        Charset charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        Header h = parseHeader(new String(npy, offset, headerLength, charset), offset + headerLength);
        long need = Math.multiplyExact(h.count(), (long) h.itemSize());
        if (need != npy.length - h.dataOffset()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(h.shape()) + " of " + h.descr() + " needs "
                    + need + " bytes of data, the array has " + (npy.length - h.dataOffset()));
        }
        return new Array(h, ByteBuffer.wrap(npy, h.dataOffset(), (int) need).slice());
    }

    /**
     * Parses the dictionary text of a {@code .npy} header ({@code descr}, {@code fortran_order}, {@code shape});
     * Fortran order is refused.
     */
    public static Header parseHeader(String text, int dataOffset) {
        Matcher d = DESCR.matcher(text);
        Matcher f = FORTRAN.matcher(text);
        Matcher s = SHAPE.matcher(text);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IllegalArgumentException("malformed .npy header " + text.trim());
        }
        if ("True".equals(f.group(1))) {
            throw new IllegalArgumentException("Fortran-ordered arrays are not supported");
        }
        String descr = d.group(1);
        if (descr.length() < 3 || "<>|=".indexOf(descr.charAt(0)) < 0) {
            throw new IllegalArgumentException("unsupported dtype " + descr);
        }
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
                if (v < 0) {
                    throw new IllegalArgumentException("negative dimension in shape (" + s.group(1) + ")");
                }
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed shape (" + s.group(1) + ")");
            }
        }
        Header h = new Header(descr, dims.stream().mapToLong(Long::longValue).toArray(), dataOffset);
        h.itemSize(); // checks the dtype
        return h;
    }

    /**
     * An {@code .npz}: each name's {@code .npy} bytes as {@code name.npy} in a zip, in the map's order, stored
     * (float data hardly compresses) with a fixed timestamp, so the same arrays always give the same bytes (the
     * artifact store refuses a key rewritten with other content).
     */
    public static byte[] npz(Map<String, byte[]> arrays) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : arrays.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                entry.setCompressedSize(e.getValue().length);
                entry.setCrc(crc.getValue());
                entry.setTimeLocal(FIXED_TIME);
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The arrays of an {@code .npz} by name (without {@code .npy}), in archive order. Entries may not expand
     * beyond {@code maxBytes} in all, so a hostile archive cannot exhaust memory.
     */
    public static Map<String, Array> readNpz(byte[] npz, long maxBytes) {
        Map<String, Array> out = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(npz))) {
            ZipEntry entry;
            byte[] chunk = new byte[64 * 1024];
            while ((entry = zip.getNextEntry()) != null) {
                if (out.size() >= MAX_ENTRIES) {
                    throw new IllegalArgumentException("more than " + MAX_ENTRIES + " arrays in the archive");
                }
                String name = entry.getName();
                if (!name.endsWith(".npy")) {
                    throw new IllegalArgumentException("archive entry " + name + " is not a .npy array");
                }
                ByteArrayOutputStream one = new ByteArrayOutputStream();
                int n;
                while ((n = zip.read(chunk)) > 0) {
                    total += n;
                    if (total > maxBytes) {
                        throw new IllegalArgumentException("archive expands beyond " + maxBytes + " bytes");
                    }
                    one.write(chunk, 0, n);
                }
                try {
                    out.put(name.substring(0, name.length() - 4), read(one.toByteArray()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a readable .npz archive: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("not an .npz archive (no arrays)");
        }
        return out;
    }
}
