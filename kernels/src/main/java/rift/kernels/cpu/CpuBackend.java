package rift.kernels.cpu;

import static rift.kernels.cpu.CpuTensor.of;

import rift.kernels.Backend;
import rift.kernels.SamplingParams;
import rift.kernels.Tensor;

/**
 * The CPU backend: fp32 everywhere, OpenBLAS GEMM (Vector API fallback), Vector API kernels, and a
 * fixed work split over {@link Parallel#threads()} threads so results are bitwise reproducible for a
 * given thread count. Each method adapts tensors to the array kernels of this package.
 */
public final class CpuBackend implements Backend {
    /** Vocabulary chunk of the fused LM head: an [rows, VOCAB_CHUNK] logits block exists at a time. */
    static final int VOCAB_CHUNK = 4096;

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int threads() {
        return Parallel.threads();
    }

    @Override
    public Tensor zeros(int... shape) {
        return CpuTensor.zeros(shape);
    }

    @Override
    public void zero(Tensor t) {
        java.util.Arrays.fill(of(t), 0, (int) t.numel(), 0f);
    }

    @Override
    public void upload(Tensor dst, float[] src) {
        if (src.length != dst.numel()) throw new IllegalArgumentException("upload of " + src.length + " floats into " + dst);
        System.arraycopy(src, 0, of(dst), 0, src.length);
    }

    @Override
    public float[] download(Tensor src) {
        return java.util.Arrays.copyOf(of(src), (int) src.numel());
    }

    @Override
    public void copy(Tensor dst, Tensor src) {
        if (dst.numel() != src.numel()) throw new IllegalArgumentException("copy " + src + " -> " + dst);
        System.arraycopy(of(src), 0, of(dst), 0, (int) src.numel());
    }

    @Override
    public void linear(Tensor y, Tensor x, Tensor w, Tensor bias) {
        int n = x.rowCount(), in = x.rowLength(), out = w.dim(0);
        check(w.rowLength() == in && y.rowCount() == n && y.rowLength() == out, "linear", y, x, w);
        float[] yd = of(y);
        Gemm.sgemm(false, true, n, out, in, 1f, of(x), 0, in, of(w), 0, in, 0f, yd, 0, out);
        if (bias != null) {
            float[] b = of(bias);
            Parallel.forRange(n, 64, (c, r0, r1) -> {
                for (int r = r0; r < r1; r++) for (int j = 0; j < out; j++) yd[r * out + j] += b[j];
            });
        }
    }

    @Override
    public void linearBackward(Tensor dx, Tensor dw, Tensor dBias, Tensor dy, Tensor x, Tensor w) {
        int n = x.rowCount(), in = x.rowLength(), out = w.dim(0);
        float[] dyd = of(dy);
        if (dx != null) Gemm.sgemm(false, false, n, in, out, 1f, dyd, 0, out, of(w), 0, in, 1f, of(dx), 0, in);
        if (dw != null) Gemm.sgemm(true, false, out, in, n, 1f, dyd, 0, out, of(x), 0, in, 1f, of(dw), 0, in);
        if (dBias != null) {
            float[] db = of(dBias);
            Parallel.forRange(out, 16, (c, j0, j1) -> {
                for (int j = j0; j < j1; j++) {
                    double s = 0;
                    for (int r = 0; r < n; r++) s += dyd[r * out + j];
                    db[j] += (float) s;
                }
            });
        }
    }

    @Override
    public void embedding(Tensor out, int[] ids, Tensor table) {
        Embedding.forward(of(out), ids, out.rowCount(), of(table), table.dim(0), table.rowLength());
    }

    @Override
    public void embeddingBackward(Tensor dTable, int[] ids, Tensor dOut) {
        Embedding.backward(of(dTable), ids, dOut.rowCount(), of(dOut), dTable.dim(0), dTable.rowLength());
    }

    @Override
    public void rmsNorm(Tensor out, Tensor rstd, Tensor x, Tensor w, float eps) {
        int d = (int) w.numel();
        RmsNorm.forward(of(out), of(rstd), of(x), of(w), (int) (x.numel() / d), d, eps);
    }

    @Override
    public void rmsNormBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, Tensor rstd) {
        int d = (int) w.numel();
        RmsNorm.backward(of(dx), of(dw), of(dOut), of(x), of(w), of(rstd), (int) (x.numel() / d), d);
    }

    @Override
    public void rope(Tensor x, int heads, int headDim, int[] positions, Rope.Table table) {
        Rope.forward(of(x), x.rowCount(), heads, headDim, positions, table);
    }

    @Override
    public void ropeBackward(Tensor dx, int heads, int headDim, int[] positions, Rope.Table table) {
        Rope.backward(of(dx), dx.rowCount(), heads, headDim, positions, table);
    }

    @Override
    public void attention(Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, int[] seqStart, int hq, int hkv, int hd, float scale) {
        Attention.forward(of(out), of(lse), of(q), of(k), of(v), seqStart, hq, hkv, hd, scale);
    }

    @Override
    public void attentionBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dOut, Tensor out, Tensor lse, Tensor q, Tensor k,
                                  Tensor v, int[] seqStart, int hq, int hkv, int hd, float scale) {
        Attention.backward(of(dq), of(dk), of(dv), of(dOut), of(out), of(lse), of(q), of(k), of(v), seqStart, hq, hkv, hd, scale);
    }

    @Override
    public void kvWrite(Tensor cache, Tensor src, int[] slot, int[] pos) {
        int width = src.rowLength(), maxT = cache.dim(1);
        float[] c = of(cache), s = of(src);
        for (int r = 0; r < slot.length; r++) {
            if (pos[r] >= maxT) throw new IllegalArgumentException("KV cache full: position " + pos[r] + " >= " + maxT);
            System.arraycopy(s, r * width, c, (slot[r] * maxT + pos[r]) * width, width);
        }
    }

    @Override
    public void gatherRows(Tensor dst, Tensor src, int[] rows) {
        int width = src.rowLength();
        if (dst.rowLength() != width) throw new IllegalArgumentException("gatherRows " + src + " -> " + dst);
        float[] s = of(src), d = of(dst);
        for (int i = 0; i < rows.length; i++) System.arraycopy(s, rows[i] * width, d, i * width, width);
    }

    @Override
    public void attentionDecode(Tensor out, Tensor q, Tensor kCache, Tensor vCache, int[] lengths, int hq, int hkv, int hd, float scale) {
        Attention.decode(of(out), of(q), of(kCache), of(vCache), lengths, kCache.dim(1), hq, hkv, hd, scale);
    }

    @Override
    public void swiglu(Tensor out, Tensor gate, Tensor up) {
        SwiGlu.forward(of(out), of(gate), of(up), (int) gate.numel());
    }

    @Override
    public void swigluBackward(Tensor dGate, Tensor dUp, Tensor dOut, Tensor gate, Tensor up) {
        SwiGlu.backward(of(dGate), of(dUp), of(dOut), of(gate), of(up), (int) gate.numel());
    }

    @Override
    public void add(Tensor out, Tensor a, Tensor b) {
        Vec.add(of(out), of(a), of(b), (int) a.numel());
    }

    private record CpuHead(LmHead.Saved saved, float[] entropy, int[] rank) implements HeadResult {
        @Override
        public float[] logp() {
            return saved.logp;
        }
    }

    @Override
    public HeadResult lmHead(Tensor h, Tensor normW, float eps, Tensor w, int[] targets, boolean wantEntropy, boolean wantRank) {
        int n = h.rowCount(), d = h.rowLength(), v = w.dim(0);
        float[] logp = new float[n];
        float[] ent = wantEntropy ? new float[n] : null;
        int[] rank = wantRank ? new int[n] : null;
        LmHead.Saved s = LmHead.forward(logp, ent, rank, of(h), n, d, of(normW), eps, of(w), v, targets, VOCAB_CHUNK);
        return new CpuHead(s, ent, rank);
    }

    @Override
    public void lmHeadBackward(Tensor dh, Tensor dNormW, Tensor dW, float[] dLogp, float[] dEntropy, HeadResult saved,
                               Tensor h, Tensor normW, Tensor w, int[] targets) {
        LmHead.backward(of(dh), of(dNormW), of(dW), dLogp, dEntropy, ((CpuHead) saved).saved(), of(h), of(normW), of(w),
                targets, VOCAB_CHUNK);
    }

    @Override
    public void logits(Tensor out, Tensor h, Tensor normW, float eps, Tensor w) {
        int n = h.rowCount(), d = h.rowLength(), v = w.dim(0);
        float[] xn = new float[n * d];
        RmsNorm.forward(xn, new float[n], of(h), of(normW), n, d, eps);
        Gemm.sgemm(false, true, n, v, d, 1f, xn, 0, d, of(w), 0, d, 0f, of(out), 0, v);
    }

    /** Rows in parallel (each row's pick depends on that row and its uniform only); no copy of the logits. */
    @Override
    public Picks sample(Tensor logits, int candidates, SamplingParams params, double[] uniforms) {
        int b = logits.rowCount(), v = logits.rowLength();
        Sampling.checkArguments(b, v, candidates, uniforms);
        float[] l = of(logits);
        int[] tokens = new int[b];
        float[] logp = new float[b];
        // the plain and greedy paths are a few passes over a row: only the sorting path is worth a thread per row
        int grain = params.greedy() || params.plain() ? Math.max(1, (1 << 16) / Math.max(1, v)) : 1;
        Parallel.forRange(b, grain, (c, r0, r1) -> {
            for (int r = r0; r < r1; r++) tokens[r] = Sampling.pick(l, r * v, v, candidates, params, uniforms[r], logp, r);
        });
        return new Picks(tokens, logp);
    }

    @Override
    public void adamw(Tensor p, Tensor g, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, float weightDecay,
                      int step, float gradScale) {
        AdamW.update(of(p), of(g), of(m), of(v), 0, (int) p.numel(), lr, beta1, beta2, eps, weightDecay, step, gradScale);
    }

    @Override
    public double sumSquares(Tensor t) {
        return Vec.sumSquares(of(t), 0, (int) t.numel());
    }

    @Override
    public void scale(Tensor t, float s) {
        Vec.scale(of(t), 0, (int) t.numel(), s);
    }

    private static void check(boolean ok, String op, Tensor... ts) {
        if (!ok) throw new IllegalArgumentException(op + ": shape mismatch " + java.util.Arrays.toString(ts));
    }
}
