package io.splicelab.model.data;

import io.splicelab.model.features.Npy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A NumPy {@code .npy} file (format versions 1, 2 and 3): the header is parsed and checked up front, and
 * rows of the first axis are read on demand, so one severity of a CIFAR-10-C file is read without the
 * other four. Supported element types: {@code u1}/{@code i1} (any byte order mark) and little- or
 * big-endian {@code i2, u2, i4, u4, i8, u8}. C order only. Every problem (bad magic, unsupported
 * version or dtype, Fortran order, a file shorter than its shape) is a {@link DatasetUnavailableException}
 * naming the file.
 *
 * @param file the file
 * @param descr the dtype string of the header, e.g. {@code |u1} or {@code <i8}
 * @param shape the array shape
 * @param dataOffset where the data starts
 */
public record NpyFile(Path file, String descr, long[] shape, long dataOffset) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Opens a file and checks its header against its size. */
    public static NpyFile open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, 0, file);
            pre.flip();
            if (pre.remaining() < 10) {
                throw bad(file, "too short for a .npy header (" + size + " bytes)");
            }
            for (byte b : MAGIC) {
                if (pre.get() != b) {
                    throw bad(file, "not a .npy file (bad magic)");
                }
            }
            int major = pre.get() & 0xFF;
            pre.get(); // minor
            long headerLength;
            int prefix;
            if (major == 1) {
                headerLength = pre.getShort() & 0xFFFF;
                prefix = 10;
            } else if (major == 2 || major == 3) {
                if (pre.remaining() < 4) {
                    throw bad(file, "truncated header");
                }
                headerLength = pre.getInt() & 0xFFFFFFFFL;
                prefix = 12;
            } else {
                throw bad(file, "unsupported .npy format version " + major);
            }
            if (prefix + headerLength > size) {
                throw bad(file, "truncated header (" + size + " bytes, header needs " + (prefix + headerLength) + ")");
            }
            if (headerLength > 1 << 20) {
                throw bad(file, "header of " + headerLength + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
            readFully(ch, hb, prefix, file);
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            NpyFile npy = parse(file, header, prefix + headerLength);
            long need = npy.dataOffset + npy.count() * npy.itemSize();
            if (size < need) {
                throw bad(file, "truncated: shape " + npy.shapeString() + " of " + npy.descr + " needs " + need
                        + " bytes, the file has " + size);
            }
            return npy;
        } catch (IOException e) {
            throw new DatasetUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static NpyFile parse(Path file, String header, long dataOffset) {
        Npy.Header parsed;
        try {
            parsed = Npy.parseHeader(header, 0);
        } catch (IllegalArgumentException e) {
            throw bad(file, e.getMessage());
        }
        NpyFile npy = new NpyFile(file, parsed.descr(), parsed.shape(), dataOffset);
        npy.itemSize(); // checks the dtype
        return npy;
    }

    /** Bytes per element; throws for an unsupported dtype. */
    public int itemSize() {
        if (descr.length() < 3) {
            throw bad(file, "unsupported dtype " + descr);
        }
        char order = descr.charAt(0);
        String type = descr.substring(1);
        if (order != '<' && order != '>' && order != '|' && order != '=') {
            throw bad(file, "unsupported dtype " + descr);
        }
        return switch (type) {
            case "u1", "i1", "b1" -> 1;
            case "u2", "i2" -> 2;
            case "u4", "i4" -> 4;
            case "u8", "i8" -> 8;
            default -> throw bad(file, "unsupported dtype " + descr + " (integers only)");
        };
    }

    /** The number of elements. */
    public long count() {
        return Npy.elementCount(shape);
    }

    /** Elements per row of the first axis. */
    public long rowLength() {
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }

    public long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    public String shapeString() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** Throws unless the elements are unsigned bytes ({@code u1}). */
    public void requireUint8() {
        if (!descr.endsWith("u1")) {
            throw bad(file, "dtype " + descr + ", expected unsigned bytes (|u1)");
        }
    }

    /** Throws unless the shape is {@code expected}, where -1 stands for any length. */
    public void requireShape(long... expected) {
        boolean ok = expected.length == shape.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = expected[i] < 0 || expected[i] == shape[i];
        }
        if (!ok) {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < expected.length; i++) {
                b.append(i > 0 ? ", " : "").append(expected[i] < 0 ? "N" : String.valueOf(expected[i]));
            }
            throw bad(file, "shape " + shapeString() + ", expected " + b.append(")"));
        }
    }

    /** The raw bytes of rows {@code [from, from + count)} of a {@code u1} array. */
    public byte[] readBytes(long from, int count) {
        requireUint8();
        if (from < 0 || from + count > rows()) {
            throw new IndexOutOfBoundsException("rows " + from + ".." + (from + count) + " of " + rows() + " in " + file);
        }
        long length = count * rowLength();
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many rows at once from " + file);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) length);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            readFully(ch, buf, dataOffset + from * rowLength(), file);
        } catch (IOException e) {
            throw new DatasetUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (buf.hasRemaining()) {
            throw bad(file, "truncated data");
        }
        return buf.array();
    }

    /** Every element of an integer array as ints (checked to fit). */
    public int[] readInts() {
        long n = count();
        int size = itemSize();
        if (n * size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too large to read at once: " + file);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (n * size));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            readFully(ch, buf, dataOffset, file);
        } catch (IOException e) {
            throw new DatasetUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (buf.hasRemaining()) {
            throw bad(file, "truncated data");
        }
        buf.flip();
        buf.order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        boolean unsigned = descr.charAt(1) == 'u' || descr.charAt(1) == 'b';
        int[] out = new int[(int) n];
        for (int i = 0; i < n; i++) {
            long v = switch (size) {
                case 1 -> unsigned ? buf.get() & 0xFF : buf.get();
                case 2 -> unsigned ? buf.getShort() & 0xFFFF : buf.getShort();
                case 4 -> unsigned ? buf.getInt() & 0xFFFFFFFFL : buf.getInt();
                default -> buf.getLong();
            };
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE || (size == 8 && unsigned && v < 0)) {
                throw bad(file, "value " + Long.toUnsignedString(v) + " at " + i + " does not fit an int");
            }
            out[i] = (int) v;
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, at);
            if (r < 0) {
                return;
            }
            at += r;
        }
    }

    private static DatasetUnavailableException bad(Path file, String what) {
        return new DatasetUnavailableException("malformed .npy file " + file + ": " + what);
    }
}
