package rift.probe;

import rift.kernels.RiftException;

/**
 * Principal component analysis as {@code sklearn.decomposition.PCA(n_components=n).fit(X)} computes it,
 * in double precision: centre by the column mean, take the top-n right singular vectors of the centred
 * matrix, and fix each vector's sign the way scikit-learn ≥ 1.5 does ({@code svd_flip(U, Vt,
 * u_based_decision=False)} for every solver): the entry of largest absolute value of each component is made
 * positive (the first such entry on exact ties, as {@code np.argmax}). Older scikit-learn (≤ 1.4) decided
 * the sign from U instead; the sign changes the sign of the PCA-shift x-coordinate but not the distance d.
 *
 * <p>The paper's features are K = 100 rows of hidden size 5120, for which sklearn's "auto" picks the
 * randomized solver (7 power iterations); that approximates the exact top-2 subspace computed here. The
 * paper also ran in float32; this class runs in float64.
 *
 * <p>Method: with Xc the centred K x H matrix, if K ≤ H the K x K Gram matrix Xc·Xcᵀ is decomposed
 * (eigenpairs (λ, u)) and the component is v = Xcᵀu/√λ; otherwise the H x H scatter matrix Xcᵀ·Xc is
 * decomposed directly. Both come from {@link SymmetricEigen}.
 *
 * @param mean               column means of the fitted data (sklearn {@code mean_})
 * @param components         components[i] is the unit i-th principal axis (sklearn {@code components_})
 * @param explainedVariance  λ_i/(K − 1) (sklearn {@code explained_variance_})
 * @param singularValues     √λ_i (sklearn {@code singular_values_})
 */
public record Pca(double[] mean, double[][] components, double[] explainedVariance, double[] singularValues) {

    /** Below this fraction of the top eigenvalue a direction carries no variance and its axis is arbitrary. */
    static final double RANK_TOLERANCE = 1e-12;

    /** Fits n components to the rows of x ([samples][features]); label names the data in error messages. */
    public static Pca fit(double[][] x, int nComponents, String label) {
        return fit(x, nComponents, label, x.length <= columns(x, label));
    }

    /** As {@link #fit(double[][], int, String)} with the solver path chosen (tests compare both). */
    static Pca fit(double[][] x, int nComponents, String label, boolean viaGram) {
        int k = x.length;
        int h = columns(x, label);
        if (nComponents < 1 || nComponents > Math.min(k, h)) {
            throw new RiftException(label + ": PCA with " + nComponents + " components needs at least that many"
                    + " samples and features, got " + k + " samples of " + h + " features; pass more texts");
        }
        double[] mean = new double[h];
        for (double[] row : x) {
            for (int j = 0; j < h; j++) mean[j] += row[j];
        }
        for (int j = 0; j < h; j++) mean[j] /= k;
        double[][] centred = new double[k][h];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < h; j++) centred[i][j] = x[i][j] - mean[j];
        }

        double[][] components = new double[nComponents][];
        double[] lambda = new double[nComponents];
        if (viaGram) {
            double[][] gram = new double[k][k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j <= i; j++) {
                    double g = dot(centred[i], centred[j]);
                    gram[i][j] = g;
                    gram[j][i] = g;
                }
            }
            SymmetricEigen eig = SymmetricEigen.of(gram);
            for (int c = 0; c < nComponents; c++) {
                lambda[c] = eig.values()[c];
                double[] u = eig.vectors()[c];
                double[] v = new double[h];
                for (int i = 0; i < k; i++) {
                    double ui = u[i];
                    for (int j = 0; j < h; j++) v[j] += ui * centred[i][j];
                }
                // v = Xcᵀu has norm √λ; normalising by its own norm removes the rounding of √λ.
                components[c] = normalised(v);
            }
        } else {
            double[][] scatter = new double[h][h];
            for (int a = 0; a < h; a++) {
                for (int b = 0; b <= a; b++) {
                    double s = 0;
                    for (int i = 0; i < k; i++) s += centred[i][a] * centred[i][b];
                    scatter[a][b] = s;
                    scatter[b][a] = s;
                }
            }
            SymmetricEigen eig = SymmetricEigen.of(scatter);
            for (int c = 0; c < nComponents; c++) {
                lambda[c] = eig.values()[c];
                components[c] = eig.vectors()[c].clone();
            }
        }
        double top = Math.max(lambda[0], 0);
        for (int c = 0; c < nComponents; c++) {
            if (!(lambda[c] > RANK_TOLERANCE * top) || top == 0) {
                throw new RiftException(label + ": principal component " + (c + 1) + " is undefined: the " + k
                        + " feature rows span fewer than " + (c + 1) + " directions of variance (identical or too"
                        + " few texts); pass at least " + (nComponents + 1) + " distinct texts");
            }
            flipSign(components[c]);
        }
        double[] variance = new double[nComponents];
        double[] singular = new double[nComponents];
        for (int c = 0; c < nComponents; c++) {
            variance[c] = lambda[c] / (k - 1);
            singular[c] = Math.sqrt(lambda[c]);
        }
        return new Pca(mean, components, variance, singular);
    }

    /** Mean over rows of the RAW (uncentred) dot product row · components[c], as the paper's code does. */
    public double meanRawProjection(double[][] x, int c) {
        double[] axis = components[c];
        if (x.length == 0) throw new IllegalArgumentException("no rows to project");
        double sum = 0;
        for (double[] row : x) {
            if (row.length != axis.length) {
                throw new IllegalArgumentException("row has " + row.length + " features, PCA has " + axis.length);
            }
            sum += dot(row, axis);
        }
        return sum / x.length;
    }

    /** sklearn svd_flip on a row of Vt: make the first entry of largest |value| positive. */
    static void flipSign(double[] v) {
        int arg = 0;
        for (int j = 1; j < v.length; j++) {
            if (Math.abs(v[j]) > Math.abs(v[arg])) arg = j;
        }
        if (v[arg] < 0) {
            for (int j = 0; j < v.length; j++) v[j] = -v[j];
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }

    private static double[] normalised(double[] v) {
        double norm = Math.sqrt(dot(v, v));
        double[] out = new double[v.length];
        if (norm == 0) return out; // only for a zero-variance axis, which fit() rejects right after
        for (int j = 0; j < v.length; j++) out[j] = v[j] / norm;
        return out;
    }

    private static int columns(double[][] x, String label) {
        if (x.length == 0) throw new RiftException(label + ": no feature rows to fit PCA on; pass at least 3 texts");
        int h = x[0].length;
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != h) {
                throw new RiftException(label + ": feature row " + i + " has " + x[i].length + " values, row 0 has "
                        + h + "; every text must give a vector of the model's hidden size");
            }
            for (double value : x[i]) {
                if (!Double.isFinite(value)) {
                    throw new RiftException(label + ": feature row " + i + " holds a non-finite value (" + value
                            + "); the model's hidden states overflowed or the features were not filled");
                }
            }
        }
        return h;
    }
}
