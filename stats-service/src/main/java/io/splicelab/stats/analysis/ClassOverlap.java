package io.splicelab.stats.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * "Class overlap" of a feature cloud (docs/science.md section 3): project the features (n x C) on their top 2
 * principal components, fit a Gaussian KDE per class in that plane, evaluate every class density on one
 * common grid and report the pairwise total-variation distances. High mean TV = classes separate well at
 * this cut; low = they overlap. Classes with fewer than {@code minClassSize} samples are left out (a
 * 2-D KDE needs at least 3 points) and reported as such.
 */
public final class ClassOverlap {
    public static final String NAME = "class-overlap-tv";
    private static final int COMPONENTS = 2;

    private final Bandwidth bandwidth;
    private final int gridSize;
    private final int minClassSize;

    /**
     * @param bandwidth KDE factor rule (Scott by default)
     * @param gridSize points per grid axis (the grid has gridSize^2 points)
     * @param minClassSize classes with fewer samples are skipped; at least 3
     */
    public ClassOverlap(Bandwidth bandwidth, int gridSize, int minClassSize) {
        this.bandwidth = bandwidth;
        this.gridSize = Checks.atLeast(gridSize, 2, "grid size");
        this.minClassSize = Math.max(COMPONENTS + 1, minClassSize);
    }

    /** One pair of classes and the TV distance between their densities. */
    public record Pair(int classA, int classB, double tv) {
    }

    /**
     * Everything the analysis measured, enough to redraw and to audit it: {@code densities} holds, per
     * class in the order of {@code classes}, its density at every grid point in grid order (index
     * {@code k * size + l} is PC1 point k, PC2 point l).
     */
    public record Result(int samples, int dimensions, List<Integer> classes, Map<Integer, Integer> classSizes,
            List<Integer> skippedClasses, Map<Integer, Double> factors, double[] explainedVariance,
            DensityGrid grid, List<Pair> pairs, double meanTv, double minTv, double maxTv,
            List<double[]> densities) {
    }

    /** The parameters this analysis was configured with, for the record. */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("projection", "pca");
        p.put("components", COMPONENTS);
        p.put("bandwidth", bandwidth.label());
        p.put("gridSize", gridSize);
        p.put("gridPadding", DensityGrid.DEFAULT_PADDING);
        p.put("tvRule", "grid masses normalised to 1");
        p.put("minClassSize", minClassSize);
        return p;
    }

    /**
     * @param features n x C matrix, one probe per row
     * @param labels n class labels
     * @throws IllegalArgumentException on inconsistent shapes, fewer than 2 usable classes or a degenerate
     *         class cloud
     */
    public Result compute(double[][] features, int[] labels) {
        int n = features.length;
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " feature rows but " + labels.length + " labels");
        }
        if (n == 0 || features[0].length < COMPONENTS) {
            throw new IllegalArgumentException("class overlap needs at least " + COMPONENTS + " feature dimensions");
        }
        int c = Matrices.columns(features);
        PrincipalComponents pca = PrincipalComponents.fit(features, COMPONENTS);
        double[][] projected = pca.project(features);

        Map<Integer, List<double[]>> byClass = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            byClass.computeIfAbsent(labels[i], l -> new ArrayList<>()).add(projected[i]);
        }
        Map<Integer, Integer> sizes = new LinkedHashMap<>();
        List<Integer> classes = new ArrayList<>();
        List<Integer> skipped = new ArrayList<>();
        List<GaussianKde> kdes = new ArrayList<>();
        Map<Integer, Double> factors = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<double[]>> e : byClass.entrySet()) {
            sizes.put(e.getKey(), e.getValue().size());
            if (e.getValue().size() < minClassSize) {
                skipped.add(e.getKey());
                continue;
            }
            GaussianKde kde;
            try {
                kde = new GaussianKde(e.getValue().toArray(new double[0][]), bandwidth);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("class " + e.getKey() + ": " + ex.getMessage(), ex);
            }
            classes.add(e.getKey());
            kdes.add(kde);
            factors.put(e.getKey(), kde.factor());
        }
        if (kdes.size() < 2) {
            throw new IllegalArgumentException("class overlap needs at least 2 classes with " + minClassSize
                    + " or more samples, found " + kdes.size());
        }
        DensityGrid grid = DensityGrid.covering(kdes, gridSize, DensityGrid.DEFAULT_PADDING);
        List<double[]> densities = new ArrayList<>();
        for (GaussianKde kde : kdes) {
            densities.add(grid.evaluate(kde));
        }
        List<Pair> pairs = new ArrayList<>();
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < kdes.size(); a++) {
            for (int b = a + 1; b < kdes.size(); b++) {
                double tv = TotalVariation.distance(densities.get(a), densities.get(b), grid.cellVolume());
                pairs.add(new Pair(classes.get(a), classes.get(b), tv));
                sum += tv;
                min = Math.min(min, tv);
                max = Math.max(max, tv);
            }
        }
        return new Result(n, c, classes, sizes, skipped, factors, pca.explainedVarianceRatio(), grid, pairs,
                sum / pairs.size(), min, max, List.copyOf(densities));
    }
}
