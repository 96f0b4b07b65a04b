package rift.probe;

import java.util.ArrayList;
import java.util.List;
import rift.kernels.RiftException;

/**
 * The PCA shift of latent representations (paper.md §4.1; repo {@code analyse_PCA_Shift.py}), as pure math
 * on features the integrator extracts from the two models.
 *
 * <p>Per layer l = 0..L (embedding output included), with B and U the [K, hidden] mean-pooled features of
 * the base and tuned model on the same K texts:
 *
 * <pre>
 *   c1, c2 = PCA(n_components=2).fit(B).components_        (fitted on the BASE features only)
 *   pc1_o = mean_k B_k·c1    pc2_o = mean_k B_k·c2         (raw dot products, not centred)
 *   pc1_u = mean_k U_k·c1    pc2_u = mean_k U_k·c2
 *   shift_l = pc1_u − pc1_o
 * </pre>
 *
 * The plot puts the base at (0, pc2_o) and the tuned model at (shift_l, pc2_u) for every layer, joined by
 * a line; d is the distance between the two centroids over layers:
 * {@code d = sqrt((mean_l shift_l)² + (mean_l pc2_u − mean_l pc2_o)²)}.
 */
public final class PcaShift {
    private PcaShift() {}

    /**
     * One layer's coordinates.
     *
     * @param layer      index into hidden_states (0 = embedding output)
     * @param pc1Base    pc1_o
     * @param pc2Base    pc2_o (the base point's y)
     * @param pc1Tuned   pc1_u
     * @param pc2Tuned   pc2_u (the tuned point's y)
     * @param shift      pc1_u − pc1_o (the tuned point's x; the base point's x is 0)
     * @param variancePc1 the base PCA's explained variance along PC1 (diagnostics)
     * @param variancePc2 the base PCA's explained variance along PC2
     */
    public record LayerPoint(int layer, double pc1Base, double pc2Base, double pc1Tuned, double pc2Tuned,
                             double shift, double variancePc1, double variancePc2) {}

    /**
     * All layers of one benchmark and the distance.
     *
     * @param meanShift     mean_l shift_l (tuned centroid x; base centroid x is 0)
     * @param meanPc2Base   mean_l pc2_o (base centroid y)
     * @param meanPc2Tuned  mean_l pc2_u (tuned centroid y)
     * @param d             Euclidean distance between the two centroids
     */
    public record Result(String label, List<LayerPoint> layers, double meanShift, double meanPc2Base,
                         double meanPc2Tuned, double d) {}

    /** Fits the base PCA of one layer and projects both models' features on it. */
    public static LayerPoint layer(int layer, double[][] baseFeatures, double[][] tunedFeatures, String label) {
        String where = label + " layer " + layer;
        if (tunedFeatures.length != baseFeatures.length) {
            throw new RiftException(where + ": " + baseFeatures.length + " base feature rows but "
                    + tunedFeatures.length + " tuned rows; both models must see the same texts");
        }
        Pca pca = Pca.fit(baseFeatures, 2, where + " (base features)");
        int hidden = pca.mean().length;
        for (int k = 0; k < tunedFeatures.length; k++) {
            if (tunedFeatures[k].length != hidden) {
                throw new RiftException(where + ": tuned feature row " + k + " has " + tunedFeatures[k].length
                        + " values, the base has " + hidden + "; both models must have the same hidden size");
            }
        }
        double pc1o = pca.meanRawProjection(baseFeatures, 0);
        double pc2o = pca.meanRawProjection(baseFeatures, 1);
        double pc1u = pca.meanRawProjection(tunedFeatures, 0);
        double pc2u = pca.meanRawProjection(tunedFeatures, 1);
        return new LayerPoint(layer, pc1o, pc2o, pc1u, pc2u, pc1u - pc1o, pca.explainedVariance()[0],
                pca.explainedVariance()[1]);
    }

    /** Centroids and d from per-layer points (layers in any order; each counts once). */
    public static Result combine(String label, List<LayerPoint> layers) {
        if (layers.isEmpty()) throw new RiftException(label + ": no layers to combine; extract at least one layer");
        double shift = 0, pc2o = 0, pc2u = 0;
        for (LayerPoint p : layers) {
            shift += p.shift();
            pc2o += p.pc2Base();
            pc2u += p.pc2Tuned();
        }
        int n = layers.size();
        double meanShift = shift / n, meanPc2o = pc2o / n, meanPc2u = pc2u / n;
        double d = Math.hypot(meanShift, meanPc2u - meanPc2o);
        return new Result(label, List.copyOf(layers), meanShift, meanPc2o, meanPc2u, d);
    }

    /** The whole probe: features[l][k][j] for layer l, text k, hidden unit j, for both models. */
    public static Result analyze(String label, double[][][] baseFeatures, double[][][] tunedFeatures) {
        if (baseFeatures.length != tunedFeatures.length) {
            throw new RiftException(label + ": " + baseFeatures.length + " base layers but " + tunedFeatures.length
                    + " tuned layers; both models must have the same number of hidden layers");
        }
        List<LayerPoint> points = new ArrayList<>();
        for (int l = 0; l < baseFeatures.length; l++) points.add(layer(l, baseFeatures[l], tunedFeatures[l], label));
        return combine(label, points);
    }

    /** Mean of d over benchmarks (a group's value in the paper's Tab. 2 style). */
    public static double meanD(List<Result> results) {
        if (results.isEmpty()) throw new IllegalArgumentException("no results to average");
        double s = 0;
        for (Result r : results) s += r.d();
        return s / results.size();
    }

    /**
     * Mean-pools per-token hidden states of K texts into [K, hidden] features.
     *
     * <p>hidden is row-major [K][T][H] flattened (K texts padded to a common length T, as one batch);
     * realToken[k][t] is the attention mask (true = a real token, false = a pad). With maskPadding false the
     * mean runs over all T positions, pads included, exactly as the paper's code
     * ({@code hidden_states[layer].mean(dim=1)}, with left padding to the longest text of the batch, at most
     * 128 tokens); with maskPadding true it runs over the real tokens only.
     */
    public static double[][] meanPool(float[] hidden, int texts, int positions, int hiddenSize,
                                      boolean[][] realToken, boolean maskPadding) {
        if ((long) texts * positions * hiddenSize != hidden.length) {
            throw new IllegalArgumentException("hidden has " + hidden.length + " values, expected " + texts + " x "
                    + positions + " x " + hiddenSize);
        }
        if (realToken.length != texts) {
            throw new IllegalArgumentException("mask has " + realToken.length + " rows, expected " + texts);
        }
        double[][] out = new double[texts][hiddenSize];
        for (int k = 0; k < texts; k++) {
            if (realToken[k].length != positions) {
                throw new IllegalArgumentException("mask row " + k + " has " + realToken[k].length
                        + " positions, expected " + positions);
            }
            int counted = 0;
            double[] acc = out[k];
            for (int t = 0; t < positions; t++) {
                if (maskPadding && !realToken[k][t]) continue;
                counted++;
                int base = (k * positions + t) * hiddenSize;
                for (int j = 0; j < hiddenSize; j++) acc[j] += hidden[base + j];
            }
            if (counted == 0) {
                throw new RiftException("text " + k + " has no real token to pool (empty after tokenisation);"
                        + " drop empty texts before the PCA-shift probe");
            }
            for (int j = 0; j < hiddenSize; j++) acc[j] /= counted;
        }
        return out;
    }

    /** {@link #meanPool(float[], int, int, int, boolean[][], boolean)} for hidden[k][t][j]. */
    public static double[][] meanPool(float[][][] hidden, boolean[][] realToken, boolean maskPadding) {
        int texts = hidden.length;
        int positions = texts == 0 ? 0 : hidden[0].length;
        int size = positions == 0 ? 0 : hidden[0][0].length;
        float[] flat = new float[texts * positions * size];
        for (int k = 0; k < texts; k++) {
            if (hidden[k].length != positions) {
                throw new IllegalArgumentException("text " + k + " has " + hidden[k].length + " positions, text 0 has "
                        + positions + "; pad the batch to one length");
            }
            for (int t = 0; t < positions; t++) {
                if (hidden[k][t].length != size) {
                    throw new IllegalArgumentException("hidden state (" + k + ", " + t + ") has "
                            + hidden[k][t].length + " values, expected " + size);
                }
                System.arraycopy(hidden[k][t], 0, flat, (k * positions + t) * size, size);
            }
        }
        return meanPool(flat, texts, positions, size, realToken, maskPadding);
    }
}
