package rift.kernels.cpu;

/** SwiGLU gate: out = silu(gate) * up, silu(x) = x * sigmoid(x). Backward accumulates (+=). */
public final class SwiGlu {
    private SwiGlu() {}

    public static void forward(float[] out, float[] gate, float[] up, int n) {
        throw new UnsupportedOperationException("pending: SwiGlu.forward");
    }

    public static void backward(float[] dGate, float[] dUp, float[] dOut, float[] gate, float[] up, int n) {
        throw new UnsupportedOperationException("pending: SwiGlu.backward");
    }
}
