package rift.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import rift.kernels.RiftException;

/**
 * Rotary position embedding in the Hugging Face "rotate_half" layout: dimension i of a head is paired
 * with dimension i + hd/2 (not interleaved). Llama 3 rope scaling ("rope_type": "llama3": factor,
 * low_freq_factor, high_freq_factor, original_max_position_embeddings) changes the inverse
 * frequencies exactly as transformers' {@code _compute_llama3_parameters} does.
 */
public final class Rope {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private Rope() {}

    /** Llama 3 frequency scaling parameters. */
    public record Llama3Scaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {}

    /** cos and sin, each [maxPositions, hd/2], computed in double and stored as float. */
    public record Table(int maxPositions, int headDim, float[] cos, float[] sin) {}

    /** scaling may be null (plain RoPE). */
    public static Table table(int maxPositions, int headDim, double theta, Llama3Scaling scaling) {
        if (maxPositions < 1) throw new IllegalArgumentException("maxPositions must be >= 1, got " + maxPositions);
        double[] invFreq = inverseFrequencies(headDim, theta, scaling);
        int half = headDim / 2;
        float[] cos = new float[maxPositions * half], sin = new float[maxPositions * half];
        for (int pos = 0; pos < maxPositions; pos++) {
            for (int i = 0; i < half; i++) {
                double angle = pos * invFreq[i];
                cos[pos * half + i] = (float) Math.cos(angle);
                sin[pos * half + i] = (float) Math.sin(angle);
            }
        }
        return new Table(maxPositions, headDim, cos, sin);
    }

    /**
     * The hd/2 inverse frequencies theta^(-2i/hd), in double, with the Llama 3 adjustment when scaling
     * is given: wavelengths 2 pi / f longer than original / low_freq_factor are divided by factor,
     * those shorter than original / high_freq_factor are kept, and the band between blends the two
     * with s = (original / wavelength - low) / (high - low): f' = (1 - s) f / factor + s f.
     */
    public static double[] inverseFrequencies(int headDim, double theta, Llama3Scaling scaling) {
        if (headDim < 2 || headDim % 2 != 0) {
            throw new IllegalArgumentException("RoPE head dimension must be even and >= 2, got " + headDim);
        }
        if (!(theta > 1)) throw new RiftException("rope_theta must be > 1, got " + theta + "; fix rope_theta in the model's config.json");
        int half = headDim / 2;
        double[] f = new double[half];
        for (int i = 0; i < half; i++) f[i] = Math.pow(theta, -2.0 * i / headDim);
        if (scaling != null) llama3(f, scaling);
        return f;
    }

    private static void llama3(double[] f, Llama3Scaling sc) {
        if (!(sc.factor() > 0) || !(sc.lowFreqFactor() > 0) || !(sc.highFreqFactor() > sc.lowFreqFactor())
                || sc.originalMaxPositions() < 1) {
            throw new RiftException("rope_scaling (llama3) needs factor > 0, 0 < low_freq_factor < high_freq_factor and "
                    + "original_max_position_embeddings >= 1, got " + sc + "; fix rope_scaling in the model's config.json");
        }
        double lowFreqWavelen = sc.originalMaxPositions() / sc.lowFreqFactor();
        double highFreqWavelen = sc.originalMaxPositions() / sc.highFreqFactor();
        for (int i = 0; i < f.length; i++) {
            double wavelen = 2 * Math.PI / f[i];
            if (wavelen > lowFreqWavelen) {
                f[i] = f[i] / sc.factor();
            } else if (wavelen >= highFreqWavelen) {
                double smooth = (sc.originalMaxPositions() / wavelen - sc.lowFreqFactor())
                        / (sc.highFreqFactor() - sc.lowFreqFactor());
                f[i] = (1 - smooth) * f[i] / sc.factor() + smooth * f[i];
            } // else high frequency: unchanged
        }
    }

    /** Rotates x [N, H, hd] in place; row n uses position positions[n]. */
    public static void forward(float[] x, int N, int H, int hd, int[] positions, Table t) {
        rotate(x, N, H, hd, positions, t, 1f);
    }

    /** Gradient of forward: rotates dx [N, H, hd] in place by the inverse rotation. */
    public static void backward(float[] dx, int N, int H, int hd, int[] positions, Table t) {
        rotate(dx, N, H, hd, positions, t, -1f);
    }

    /** Rotation by +angle (sign 1) or -angle (sign -1): (a, b) -> (a cos - b sin, b cos + a sin). */
    private static void rotate(float[] x, int N, int H, int hd, int[] positions, Table t, float sign) {
        check(x, N, H, hd, positions, t);
        int half = hd / 2;
        float[] cos = t.cos(), sin = t.sin();
        Parallel.forRange(N, Math.max(1, 4096 / (H * hd)), (chunk, n0, n1) -> {
            int L = F.length();
            for (int n = n0; n < n1; n++) {
                int c = positions[n] * half;
                for (int h = 0; h < H; h++) {
                    int a = (n * H + h) * hd, b = a + half;
                    int i = 0;
                    for (; i + L <= half; i += L) {
                        FloatVector vc = FloatVector.fromArray(F, cos, c + i);
                        FloatVector vs = FloatVector.fromArray(F, sin, c + i).mul(sign);
                        FloatVector xa = FloatVector.fromArray(F, x, a + i), xb = FloatVector.fromArray(F, x, b + i);
                        xa.mul(vc).sub(xb.mul(vs)).intoArray(x, a + i);
                        xb.mul(vc).add(xa.mul(vs)).intoArray(x, b + i);
                    }
                    for (; i < half; i++) {
                        float co = cos[c + i], si = sign * sin[c + i];
                        float xa = x[a + i], xb = x[b + i];
                        x[a + i] = xa * co - xb * si;
                        x[b + i] = xb * co + xa * si;
                    }
                }
            }
        });
    }

    private static void check(float[] x, int N, int H, int hd, int[] positions, Table t) {
        if (hd != t.headDim()) {
            throw new IllegalArgumentException("head dimension " + hd + " does not match the RoPE table's " + t.headDim());
        }
        if (N < 0 || H < 1) throw new IllegalArgumentException("need N >= 0 and H >= 1, got N=" + N + " H=" + H);
        if (x.length < (long) N * H * hd) {
            throw new IllegalArgumentException("x needs " + (long) N * H * hd + " floats (N=" + N + ", H=" + H + ", hd=" + hd
                    + "), has " + x.length);
        }
        if (positions.length < N) throw new IllegalArgumentException("positions has " + positions.length + " entries, need N=" + N);
        for (int n = 0; n < N; n++) {
            int p = positions[n];
            if (p < 0 || p >= t.maxPositions()) {
                throw new IllegalArgumentException("position " + p + " of row " + n + " is outside the RoPE table: positions must be in [0, "
                        + t.maxPositions() + "); build the table with a larger maxPositions or shorten the sequence");
            }
        }
    }
}
