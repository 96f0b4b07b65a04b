package rift.model;

import rift.kernels.Backend;
import rift.kernels.Tensor;

/**
 * The buffers one forward pass writes and its backward reads, sized for {@code capacity} tokens and
 * narrowed to each batch with {@link Tensor#rows(int)}. Allocated once per model and capacity, so a
 * training loop allocates nothing per step. Per layer l: {@code x[l]} is the layer's input (x[L] the
 * output of the last layer), and the rest are the intermediate values backward needs.
 */
final class Activations {
    final int capacity;
    final Tensor[] x;                 // [L+1][N, D] residual stream
    final Tensor[] xn1, rstd1;        // attention-input norm
    final Tensor[] qRaw, kRaw;        // projections before q/k norm (Qwen3 only)
    final Tensor[] rstdQ, rstdK;      // q/k norm statistics per head (Qwen3 only)
    final Tensor[] q, k, v;           // after norm and RoPE: what attention saw
    final Tensor[] att, lse;          // attention output [N, Hq*hd] and log-sum-exp [N, Hq]
    final Tensor[] xMid;              // residual after attention
    final Tensor[] xn2, rstd2;        // MLP-input norm
    final Tensor[] gate, up, act;     // MLP
    // backward scratch, shared by all layers
    final Tensor dx, dAtt, dQ, dK, dV, dQRaw, dKRaw, dXn, dAct, dGate, dUp, tmpD;

    Activations(ModelConfig c, Backend be, int capacity) {
        this.capacity = capacity;
        int n = capacity, d = c.hiddenSize(), f = c.intermediateSize(), L = c.numLayers();
        x = new Tensor[L + 1];
        for (int i = 0; i <= L; i++) x[i] = be.zeros(n, d);
        xn1 = alloc(be, L, n, d);
        rstd1 = allocF32(be, L, n, 1);
        q = alloc(be, L, n, c.qDim());
        k = alloc(be, L, n, c.kvDim());
        v = alloc(be, L, n, c.kvDim());
        if (c.qkNorm()) {
            qRaw = alloc(be, L, n, c.qDim());
            kRaw = alloc(be, L, n, c.kvDim());
            rstdQ = allocF32(be, L, n, c.numHeads());
            rstdK = allocF32(be, L, n, c.numKvHeads());
        } else {
            qRaw = kRaw = rstdQ = rstdK = null;
        }
        att = alloc(be, L, n, c.qDim());
        lse = allocF32(be, L, n, c.numHeads());
        xMid = alloc(be, L, n, d);
        xn2 = alloc(be, L, n, d);
        rstd2 = allocF32(be, L, n, 1);
        gate = alloc(be, L, n, f);
        up = alloc(be, L, n, f);
        act = alloc(be, L, n, f);
        dx = be.zeros(n, d);
        dAtt = be.zeros(n, c.qDim());
        dQ = be.zeros(n, c.qDim());
        dK = be.zeros(n, c.kvDim());
        dV = be.zeros(n, c.kvDim());
        dQRaw = c.qkNorm() ? be.zeros(n, c.qDim()) : null;
        dKRaw = c.qkNorm() ? be.zeros(n, c.kvDim()) : null;
        dXn = be.zeros(n, d);
        dAct = be.zeros(n, f);
        dGate = be.zeros(n, f);
        dUp = be.zeros(n, f);
        tmpD = be.zeros(n, d);
    }

    /** Statistics backward divides by or exponentiates: fp32 even under bf16 storage. */
    private static Tensor[] allocF32(Backend be, int layers, int n, int width) {
        Tensor[] t = new Tensor[layers];
        for (int i = 0; i < layers; i++) t[i] = be.zerosF32(n, width);
        return t;
    }

    private static Tensor[] alloc(Backend be, int layers, int n, int width) {
        Tensor[] t = new Tensor[layers];
        for (int i = 0; i < layers; i++) t[i] = be.zeros(n, width);
        return t;
    }
}
