package rift.kernels.cpu;

/**
 * RMSNorm as in Llama/Qwen: out = x / sqrt(mean(x^2) + eps) * w, statistics in float (accumulated in
 * double where it matters for exactness). Also used per head for Qwen3's q_norm/k_norm with
 * N = tokens * heads and D = head_dim. Backward ops accumulate (+=).
 */
public final class RmsNorm {
    private RmsNorm() {}

    /** x, out [N, D]; w [D]; rstd [N] receives 1/sqrt(mean(x^2)+eps) for backward. out must not alias x. */
    public static void forward(float[] out, float[] rstd, float[] x, float[] w, int N, int D, float eps) {
        throw new UnsupportedOperationException("pending: RmsNorm.forward");
    }

    /** dx [N, D] += d/dx; dw [D] += d/dw (per-chunk partials added in chunk order: deterministic). */
    public static void backward(float[] dx, float[] dw, float[] dout, float[] x, float[] w, float[] rstd, int N, int D) {
        throw new UnsupportedOperationException("pending: RmsNorm.backward");
    }
}
