package io.splicelab.stats.analysis;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;

/**
 * Tests of the null hypothesis "the covariance is sigma^2 I" (isotropy), docs/science.md section 4: Mauchly's
 * chi-square test when there are more samples than dimensions (features at a cut), and the Ledoit-Wolf
 * (2002) John-type and Srivastava (2005) tests when p is much larger than the sample count (gradient
 * noise), both computed through the Gram matrix. P-values are upper tails computed directly; the log
 * p-values stay finite where the p-values underflow.
 */
public final class Sphericity {
    private Sphericity() {
    }

    /** Mauchly's test: statistic {@code -(n-1-c) ln W}, chi-square with {@code p(p+1)/2 - 1} df. */
    public record Mauchly(int n, int p, double traceS, double lnW, double w, double correction, double statistic,
            int df, double pValue, double logPValue) {
    }

    /** Ledoit-Wolf John-type test: {@code z = (n U - p - 1)/2 ~ N(0,1)}; effect size = U. */
    public record LedoitWolf(double u, double z, double pValue, double logPValue) {
    }

    /** Srivastava's test: {@code T = (n/2)(a2/a1^2 - 1) ~ N(0,1)}; effect size = a2/a1^2 - 1. */
    public record Srivastava(double a2, double t, double effect, double pValue, double logPValue) {
    }

    /** Both high-dimensional tests and the traces they are built from. */
    public record HighDimensional(int n, int p, int nDof, double traceS, double traceS2, double a1,
            LedoitWolf ledoitWolf, Srivastava srivastava) {
    }

    /**
     * Mauchly's sphericity test of the rows of {@code x} (n x p, n > p, not centered).
     */
    public static Mauchly mauchly(double[][] x) {
        int n = x.length;
        int p = Matrices.columns(x);
        if (n <= p) {
            throw new IllegalArgumentException("Mauchly's test needs more samples (" + n + ") than dimensions (" + p
                    + "); use the high-dimensional tests");
        }
        double[][] s = Matrices.scatter(Matrices.centered(x), n - 1);
        double trace = 0;
        for (int j = 0; j < p; j++) {
            trace += s[j][j];
        }
        double det = new LUDecomposition(new Array2DRowRealMatrix(s, false)).getDeterminant();
        if (!(det > 0)) {
            throw new IllegalArgumentException("the sample covariance is singular");
        }
        double lnW = Math.log(det) - p * Math.log(trace / p);
        double c = (2.0 * p * p + p + 2) / (6.0 * p);
        double stat = -(n - 1 - c) * lnW;
        int df = p * (p + 1) / 2 - 1;
        return new Mauchly(n, p, trace, lnW, Math.exp(lnW), c, stat, df, Tails.chiSquaredSf(stat, df),
                Tails.chiSquaredLogSf(stat, df));
    }

    /**
     * The Ledoit-Wolf and Srivastava tests of the rows of {@code x} (N x p, any p, not centered), with
     * {@code tr S^2 = ||Xc Xc^T||_F^2 / (N-1)^2} from the N x N Gram matrix.
     */
    public static HighDimensional highDimensional(double[][] x) {
        int bigN = x.length;
        if (bigN < 4) {
            throw new IllegalArgumentException("the high-dimensional tests need at least 4 samples");
        }
        int p = Matrices.columns(x);
        return highDimensionalFromGram(p, Matrices.gram(Matrices.centered(x), 1.0));
    }

    /**
     * The same tests from the N x N Gram matrix {@code Xc Xc^T} of the centered sample (not divided), so a
     * caller that already holds it (the noise pipeline, which never keeps a second p-dimensional copy)
     * pays O(N^2) here.
     */
    public static HighDimensional highDimensionalFromGram(int p, double[][] g) {
        int bigN = g.length;
        if (bigN < 4) {
            throw new IllegalArgumentException("the high-dimensional tests need at least 4 samples");
        }
        int nDof = bigN - 1;
        double trS = 0;
        double fro = 0;
        for (int i = 0; i < bigN; i++) {
            trS += g[i][i];
            for (int k = 0; k < bigN; k++) {
                fro += g[i][k] * g[i][k];
            }
        }
        trS /= nDof;
        double trS2 = fro / ((double) nDof * nDof);
        double a1 = trS / p;
        if (!(a1 > 0)) {
            throw new IllegalArgumentException("the sample has no variance");
        }
        double u = (trS2 / p) / (a1 * a1) - 1;
        double z = (nDof * u - p - 1) / 2;
        LedoitWolf lw = new LedoitWolf(u, z, Tails.normalSf(z), Tails.normalLogSf(z));
        double nn = nDof;
        double a2 = nn * nn / ((nn - 1) * (nn + 2)) * (trS2 - trS * trS / nn) / p;
        double effect = a2 / (a1 * a1) - 1;
        double t = nn / 2 * effect;
        Srivastava sv = new Srivastava(a2, t, effect, Tails.normalSf(t), Tails.normalLogSf(t));
        return new HighDimensional(bigN, p, nDof, trS, trS2, a1, lw, sv);
    }
}
