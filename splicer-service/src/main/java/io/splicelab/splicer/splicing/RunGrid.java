package io.splicelab.splicer.splicing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Inference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hybrid grid of one run on one evaluation set, grown one checkpoint at a time. The shallow
 * features of every checkpoint are computed once per cut and kept, so a new checkpoint k costs its own
 * shallow passes plus one deep pass per new cell: row k and column k (2k-1 cells per cut, both orders
 * and the diagonal). Pure domain code: no messaging, no storage.
 */
public final class RunGrid implements AutoCloseable {
    private final ImageDataset evalSet;
    private final List<String> cuts;
    private final int batchSize;
    private final NDManager manager;
    private final TreeMap<Integer, Entry> checkpoints = new TreeMap<>();

    /** A checkpoint's network, its shallow features per cut (one array per batch) and its predictions. */
    private record Entry(CutNetwork net, Map<String, List<NDArray>> features, int[] predictions) {
    }

    /**
     * @param manager owns the cached features; the grid closes it
     */
    public RunGrid(ImageDataset evalSet, List<String> cuts, int batchSize, NDManager manager) {
        this.evalSet = evalSet;
        this.cuts = List.copyOf(cuts);
        this.batchSize = batchSize;
        this.manager = manager;
    }

    public boolean contains(int step) {
        return checkpoints.containsKey(step);
    }

    public List<Integer> steps() {
        return List.copyOf(checkpoints.keySet());
    }

    public NDManager manager() {
        return manager;
    }

    /**
     * Adds a checkpoint (its network must live in this grid's manager) and evaluates every new cell:
     * the diagonal and, against every checkpoint already present, both orders, at every cut.
     */
    public List<HybridCell> add(int step, CutNetwork net) {
        if (checkpoints.containsKey(step)) {
            return List.of();
        }
        ParameterStore ps = new ParameterStore(manager, false);
        Map<String, List<NDArray>> features = new LinkedHashMap<>();
        for (String cut : cuts) {
            features.put(cut, new ArrayList<>());
        }
        int[] predictions = new int[evalSet.size()];
        for (int from = 0, b = 0; from < evalSet.size(); from += batchSize, b++) {
            int to = Math.min(evalSet.size(), from + batchSize);
            try (NDManager batch = manager.newSubManager()) {
                NDList current = new NDList(evalSet.images(batch, from, to));
                int done = 0;
                for (String cut : cuts) {
                    int upTo = net.cutIndex(cut);
                    current = net.forward(ps, current, done, upTo, false);
                    done = upTo;
                    NDArray kept = current.singletonOrThrow();
                    kept.attach(manager);
                    // back into the batch until it closes, so the deeper segments' arrays are freed with it
                    kept.tempAttach(batch);
                    features.get(cut).add(kept);
                }
                NDArray logits = net.forward(ps, current, done, net.segments().size(), false).singletonOrThrow();
                System.arraycopy(Inference.argmax(Inference.toRows(logits)), 0, predictions, from, to - from);
            }
        }
        Entry entry = new Entry(net, features, predictions);
        List<HybridCell> cells = new ArrayList<>();
        int[] labels = evalSet.labels();
        for (String cut : cuts) {
            cells.add(new HybridCell(cut, evalSet.name(), step, step, labels.length,
                    HybridMetrics.of(predictions, labels, predictions, predictions)));
            for (Map.Entry<Integer, Entry> other : checkpoints.entrySet()) {
                cells.add(evaluate(cut, other.getKey(), other.getValue(), step, entry, ps));
                cells.add(evaluate(cut, step, entry, other.getKey(), other.getValue(), ps));
            }
        }
        checkpoints.put(step, entry);
        return cells;
    }

    private HybridCell evaluate(String cut, int shallowStep, Entry shallow, int deepStep, Entry deep,
            ParameterStore ps) {
        int[] hybrid = new int[evalSet.size()];
        List<NDArray> batches = shallow.features().get(cut);
        for (int b = 0, from = 0; b < batches.size(); b++) {
            try (NDManager batch = manager.newSubManager()) {
                NDArray features = batches.get(b);
                features.tempAttach(batch);
                NDArray logits = deep.net().deep(ps, new NDList(features), cut).singletonOrThrow();
                int[] pred = Inference.argmax(Inference.toRows(logits));
                System.arraycopy(pred, 0, hybrid, from, pred.length);
                from += pred.length;
            }
        }
        return new HybridCell(cut, evalSet.name(), shallowStep, deepStep, hybrid.length,
                HybridMetrics.of(hybrid, evalSet.labels(), deep.predictions(), shallow.predictions()));
    }

    /**
     * The probe features of a checkpoint at every cut, global-average-pooled over space: n x C_d.
     */
    public Map<String, float[][]> pooledFeatures(int step) {
        Entry entry = checkpoints.get(step);
        if (entry == null) {
            throw new IllegalArgumentException("no checkpoint at step " + step);
        }
        Map<String, float[][]> out = new LinkedHashMap<>();
        for (String cut : cuts) {
            float[][] rows = new float[evalSet.size()][];
            int from = 0;
            for (NDArray batchFeatures : entry.features().get(cut)) {
                try (NDManager batch = manager.newSubManager()) {
                    batchFeatures.tempAttach(batch);
                    NDArray pooled = batchFeatures.mean(new int[] {2}).mean(new int[] {2});
                    float[][] r = Inference.toRows(pooled);
                    System.arraycopy(r, 0, rows, from, r.length);
                    from += r.length;
                }
            }
            out.put(cut, rows);
        }
        return out;
    }

    public int[] labels() {
        return evalSet.labels();
    }

    @Override
    public void close() {
        manager.close();
    }
}
