package io.splicelab.model.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded, class-stratified subsets: every service that asks for the same (dataset, size, seed) gets the
 * same examples in the same order, so evaluation sets and probe sets agree across services and restarts.
 */
public final class ProbeSets {
    private ProbeSets() {
    }

    /**
     * Indices of a class-stratified subset of about {@code size} examples: each class contributes in
     * proportion to its frequency (at least one example when present), chosen uniformly with the seed.
     */
    public static int[] stratified(int[] labels, int numClasses, int size, long seed) {
        if (size >= labels.length) {
            int[] all = new int[labels.length];
            Arrays.setAll(all, i -> i);
            return all;
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Integer> chosen = new ArrayList<>();
        for (List<Integer> members : byClass) {
            if (members.isEmpty()) {
                continue;
            }
            int take = (int) Math.max(1, Math.round((double) size * members.size() / labels.length));
            take = Math.min(take, members.size());
            int[] m = members.stream().mapToInt(Integer::intValue).toArray();
            for (int i = 0; i < take; i++) {
                int j = i + rnd.nextInt(m.length - i);
                int t = m[i];
                m[i] = m[j];
                m[j] = t;
                chosen.add(m[i]);
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
