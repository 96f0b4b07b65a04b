package rift.kernels.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * SwiGLU gate: out = silu(gate) * up, silu(x) = x * sigmoid(x). Backward accumulates (+=).
 *
 * <p>sigmoid(x) = 1 / (1 + exp(-x)) with {@link VecMath#exp}, which gives the same bits in vector
 * lanes and scalar tails, so the result does not depend on the thread count.
 */
public final class SwiGlu {
    private static final int FL = VecMath.FL;

    private SwiGlu() {}

    public static void forward(float[] out, float[] gate, float[] up, int n) {
        Vec.checkLength("out", out, 0, n);
        Vec.checkLength("gate", gate, 0, n);
        Vec.checkLength("up", up, 0, n);
        Parallel.forRange(n, Vec.GRAIN / 4, (c, s, e) -> {
            int i = s;
            for (int bound = e - FL + 1; i < bound; i += FL) {
                FloatVector g = FloatVector.fromArray(VecMath.FS, gate, i);
                FloatVector sig = sigmoid(g);
                g.mul(sig).mul(FloatVector.fromArray(VecMath.FS, up, i)).intoArray(out, i);
            }
            for (; i < e; i++) {
                float g = gate[i];
                out[i] = g * sigmoid(g) * up[i];
            }
        });
    }

    /** dGate += dOut * up * sig * (1 + gate * (1 - sig)); dUp += dOut * silu(gate). */
    public static void backward(float[] dGate, float[] dUp, float[] dOut, float[] gate, float[] up, int n) {
        Vec.checkLength("dGate", dGate, 0, n);
        Vec.checkLength("dUp", dUp, 0, n);
        Vec.checkLength("dOut", dOut, 0, n);
        Vec.checkLength("gate", gate, 0, n);
        Vec.checkLength("up", up, 0, n);
        Parallel.forRange(n, Vec.GRAIN / 4, (c, s, e) -> {
            int i = s;
            for (int bound = e - FL + 1; i < bound; i += FL) {
                FloatVector g = FloatVector.fromArray(VecMath.FS, gate, i);
                FloatVector u = FloatVector.fromArray(VecMath.FS, up, i);
                FloatVector d = FloatVector.fromArray(VecMath.FS, dOut, i);
                FloatVector sig = sigmoid(g);
                FloatVector dsilu = sig.mul(g.mul(sig.neg().add(1f)).add(1f));
                FloatVector.fromArray(VecMath.FS, dGate, i).add(d.mul(u).mul(dsilu)).intoArray(dGate, i);
                FloatVector.fromArray(VecMath.FS, dUp, i).add(d.mul(g.mul(sig))).intoArray(dUp, i);
            }
            for (; i < e; i++) {
                float g = gate[i], sig = sigmoid(g);
                float dsilu = sig * (g * (1f - sig) + 1f);
                dGate[i] += dOut[i] * up[i] * dsilu;
                dUp[i] += dOut[i] * (g * sig);
            }
        });
    }

    static float sigmoid(float x) {
        return 1f / (1f + VecMath.exp(-x));
    }

    static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(VecMath.FS, 1f).div(VecMath.exp(x.neg()).add(1f));
    }
}
