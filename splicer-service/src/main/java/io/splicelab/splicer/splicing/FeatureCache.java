package io.splicelab.splicer.splicing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.splicelab.model.net.ChannelsLast;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Shallow features, one array per (checkpoint, evaluation set, cut, batch), computed once and reused by
 * every hybrid. Arrays stay in memory up to a byte budget; beyond it they are written to files in a
 * spill directory and read back when needed, through one reused direct buffer into the engine's memory (so
 * reading spilled features does not pile up direct buffers waiting for a garbage collection).
 */
final class FeatureCache implements AutoCloseable {
    private final NDManager manager;
    private final long budgetBytes;
    private final Path spillParent;
    private Path spillDir;
    private long residentBytes;
    private long spilledBytes;
    private int files;
    private final Map<String, List<Object>> entries = new HashMap<>();
    /** One direct buffer that spilled batches are read into (one batch at a time, copied out at once). */
    private ByteBuffer readBuffer;

    /**
     * A batch on disk. Image-shaped features are written in channels-last order ({@code nhwc}) and come back
     * in that memory format, so that a spilled batch runs through the same kernels, to the same bits, as a
     * resident one ({@link ChannelsLast}).
     */
    private record Spilled(Path file, Shape shape, DataType type, boolean nhwc) {
    }

    FeatureCache(NDManager manager, long budgetBytes, Path spillParent) {
        this.manager = manager;
        this.budgetBytes = budgetBytes;
        this.spillParent = spillParent;
    }

    static String key(int step, String evalSet, String cut) {
        return step + "/" + evalSet + "/" + cut;
    }

    /**
     * Keeps batch {@code index} of a feature array, which lives in {@code batch}; returns the array,
     * still usable in that batch (the deeper segments' outputs attach to the batch, not to the cache).
     */
    NDArray put(String key, int index, NDArray features, NDManager batch) {
        List<Object> list = entries.computeIfAbsent(key, k -> new ArrayList<>());
        if (list.size() != index) {
            throw new IllegalStateException("batches of " + key + " must be added in order");
        }
        long bytes = features.size() * features.getDataType().getNumOfBytes();
        if (residentBytes + bytes <= budgetBytes) {
            features.attach(manager);
            features.tempAttach(batch);
            residentBytes += bytes;
            list.add(features);
        } else {
            list.add(spill(features));
            spilledBytes += bytes;
        }
        return features;
    }

    /** Batch {@code index} of a key, attached to {@code batch} until it closes. */
    NDArray get(String key, int index, NDManager batch) {
        Object o = entries.get(key).get(index);
        if (o instanceof NDArray a) {
            a.tempAttach(batch);
            return a;
        }
        Spilled s = (Spilled) o;
        try (FileChannel ch = FileChannel.open(s.file(), StandardOpenOption.READ)) {
            int size = (int) ch.size();
            if (readBuffer == null || readBuffer.capacity() < size) {
                readBuffer = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
            }
            ByteBuffer buf = readBuffer.clear().limit(size);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read it all
            }
            buf.flip();
            // an array made on a direct buffer keeps it: copy into the engine's memory and reuse the buffer
            try (NDManager staging = batch.newSubManager()) {
                NDArray owned = s.nhwc()
                        ? ChannelsLast.fromNhwc(staging.create(buf, ChannelsLast.nhwcShape(s.shape()), s.type())
                                .duplicate())
                        : staging.create(buf, s.shape(), s.type()).duplicate();
                owned.attach(batch);
                return owned;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spilled features " + s.file(), e);
        }
    }

    int batches(String key) {
        List<Object> list = entries.get(key);
        return list == null ? 0 : list.size();
    }

    long residentBytes() {
        return residentBytes;
    }

    long spilledBytes() {
        return spilledBytes;
    }

    private Spilled spill(NDArray features) {
        try {
            if (spillDir == null) {
                Files.createDirectories(spillParent);
                spillDir = Files.createTempDirectory(spillParent, "features-");
            }
            Path file = spillDir.resolve("f" + (files++) + ".bin");
            boolean nhwc = features.getShape().dimension() == 4 && ChannelsLast.enabled();
            try (NDArray ordered = nhwc ? ChannelsLast.nhwcView(features) : null;
                    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = nhwc ? ordered.toByteBuffer() : features.toByteBuffer();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            return new Spilled(file, features.getShape(), features.getDataType(), nhwc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill features to " + spillParent, e);
        }
    }

    @Override
    public void close() {
        entries.clear();
        if (spillDir != null) {
            try (Stream<Path> s = Files.walk(spillDir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a temp directory
            }
        }
    }
}
