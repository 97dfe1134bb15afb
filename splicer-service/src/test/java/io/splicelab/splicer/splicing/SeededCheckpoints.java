package io.splicelab.splicer.splicing;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.SyntheticImages;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.net.Checkpoints;
import io.splicelab.model.net.CutNetwork;
import io.splicelab.model.net.Networks;
import java.util.ArrayList;
import java.util.List;

/**
 * Distinct checkpoints for the splicer's tests without training: seeded initialisations whose BatchNorm
 * statistics come from synthetic inputs scaled by the seed, so that carry and recalibrate differ.
 */
public final class SeededCheckpoints {
    private SeededCheckpoints() {
    }

    /** Checkpoints of seeds 1..count as parameter bytes. */
    public static List<byte[]> of(NetworkSpec spec, int count) {
        List<byte[]> out = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            for (int seed = 1; seed <= count; seed++) {
                CutNetwork net = Networks.seeded(spec, seed, m);
                ImageDataset warm = SyntheticImages.split("train", 50);
                try (NDManager batch = m.newSubManager()) {
                    net.forward(new ParameterStore(m, false), new NDList(warm.images(batch, 0, 50).mul(seed)), 0,
                            net.segments().size(), true);
                }
                out.add(Checkpoints.save(net.block()));
            }
        }
        return out;
    }
}
