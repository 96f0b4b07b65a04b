package rift.kernels.cpu;

/**
 * Rotary position embedding in the Hugging Face "rotate_half" layout: dimension i of a head is paired
 * with dimension i + hd/2 (not interleaved). Llama 3 rope scaling ("rope_type": "llama3": factor,
 * low_freq_factor, high_freq_factor, original_max_position_embeddings) changes the inverse
 * frequencies exactly as transformers' {@code _compute_llama3_parameters} does.
 */
public final class Rope {
    private Rope() {}

    /** Llama 3 frequency scaling parameters. */
    public record Llama3Scaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {}

    /** cos and sin, each [maxPositions, hd/2], computed in double and stored as float. */
    public record Table(int maxPositions, int headDim, float[] cos, float[] sin) {}

    /** scaling may be null (plain RoPE). */
    public static Table table(int maxPositions, int headDim, double theta, Llama3Scaling scaling) {
        throw new UnsupportedOperationException("pending: Rope.table");
    }

    /** Rotates x [N, H, hd] in place; row n uses position positions[n]. */
    public static void forward(float[] x, int N, int H, int hd, int[] positions, Table t) {
        throw new UnsupportedOperationException("pending: Rope.forward");
    }

    /** Gradient of forward: rotates dx [N, H, hd] in place by the inverse rotation. */
    public static void backward(float[] dx, int N, int H, int hd, int[] positions, Table t) {
        throw new UnsupportedOperationException("pending: Rope.backward");
    }
}
