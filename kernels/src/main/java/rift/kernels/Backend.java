package rift.kernels;

import rift.kernels.cpu.Rope;

/**
 * The ops a transformer needs for training and sampling, forward and backward, on one device.
 *
 * <p>Tensors are row-major; row counts come from the tensors' shapes (so a prefix view from
 * {@link Tensor#rows(int)} processes fewer rows). Integer side inputs (token ids, positions, sequence
 * starts, targets) and the per-token results the loss needs (log-probs, entropies) are small and live on
 * the host as Java arrays. Every backward op ACCUMULATES (+=) into its gradient outputs (a few also take
 * {@link Write#SET}, to overwrite instead); a null gradient output is skipped. Implementations:
 * {@code CpuBackend} (fp32, the reference) and a CUDA backend (bf16 storage, fp32 accumulation) behind
 * the same interface.
 */
public interface Backend {
    String name();

    /** Number of threads (CPU) or streams the backend uses; recorded in benchmark results. */
    int threads();

    Tensor zeros(int... shape);

    /**
     * A zero tensor that is fp32 whatever the backend's storage type: master weights, AdamW moments,
     * gradients, and the per-row statistics (RMSNorm rstd, attention lse) that bf16 would ruin.
     */
    default Tensor zerosF32(int... shape) {
        return zeros(shape);
    }

    /** Whether {@link #zeros} stores fewer bits than fp32 (then the trainer keeps fp32 master weights). */
    default boolean lowPrecisionStorage() {
        return false;
    }

    void zero(Tensor t);

    /**
     * Runs ops: a sequence of this backend's ops that the caller repeats with the same tensors and shapes, where
     * only the values of host index arrays (token ids, positions, lengths, slots) change from call to call (a
     * decode step). A GPU backend may record the sequence once under key (an object the caller keeps while it
     * repeats the sequence) and replay it, which costs one launch instead of one per kernel. ops must not read
     * results back to the host. The results are those of running ops.
     */
    default void repeatable(Object key, Runnable ops) {
        ops.run();
    }

    /** {@link #zero(Tensor)} of every tensor (a GPU backend clears them all in one launch); they may not overlap. */
    default void zero(java.util.List<Tensor> ts) {
        for (Tensor t : ts) zero(t);
    }

    void upload(Tensor dst, float[] src);

    float[] download(Tensor src);

    void copy(Tensor dst, Tensor src);

    /** y [N, out] = x [N, in] W^T (+ bias [out] when not null); W is [out, in] as Hugging Face stores it. */
    void linear(Tensor y, Tensor x, Tensor w, Tensor bias);

    /** dx += dy W; dw += dy^T x; dBias += column sums of dy. */
    void linearBackward(Tensor dx, Tensor dw, Tensor dBias, Tensor dy, Tensor x, Tensor w);

    /** {@link #linearBackward} with dx written as dxWrite says (dw and dBias accumulate either way). */
    default void linearBackward(Write dxWrite, Tensor dx, Tensor dw, Tensor dBias, Tensor dy, Tensor x, Tensor w) {
        if (dxWrite == Write.SET && dx != null) zero(dx);
        linearBackward(dx, dw, dBias, dy, x, w);
    }

    /** out [N, D] = table [V, D] rows at ids. */
    void embedding(Tensor out, int[] ids, Tensor table);

    void embeddingBackward(Tensor dTable, int[] ids, Tensor dOut);

    /** RMSNorm over the last dimension (the length of w); rstd receives one value per row. */
    void rmsNorm(Tensor out, Tensor rstd, Tensor x, Tensor w, float eps);

    void rmsNormBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, Tensor rstd);

    /** {@link #rmsNormBackward} with dx written as dxWrite says (dw accumulates either way). */
    default void rmsNormBackward(Write dxWrite, Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, Tensor rstd) {
        if (dxWrite == Write.SET && dx != null) zero(dx);
        rmsNormBackward(dx, dw, dOut, x, w, rstd);
    }

    /** Rotary embedding in place on x [N, heads * headDim], row n at positions[n]. */
    void rope(Tensor x, int heads, int headDim, int[] positions, Rope.Table table);

    /**
     * Qwen3's per-head q/k norm then RoPE: exactly {@code rmsNorm(out, rstd, x, w, eps)} over rows of headDim
     * (w [headDim], rstd one value per token and head) followed by {@code rope(out, heads, headDim, positions,
     * table)}, bit for bit (a GPU backend does both in one pass, RoPE reading the normed values as stored).
     * x, out [N, heads * headDim]; out and rstd must not overlap x or w.
     */
    default void rmsNormRope(Tensor out, Tensor rstd, Tensor x, Tensor w, float eps, int heads, int headDim, int[] positions,
                             Rope.Table table) {
        rmsNorm(out, rstd, x, w, eps);
        rope(out, heads, headDim, positions, table);
    }

    void ropeBackward(Tensor dx, int heads, int headDim, int[] positions, Rope.Table table);

    /** Causal GQA attention over packed sequences; see rift.kernels.cpu.Attention for the layout. */
    void attention(Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, int[] seqStart, int hq, int hkv, int hd, float scale);

    void attentionBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dOut, Tensor out, Tensor lse, Tensor q, Tensor k,
                           Tensor v, int[] seqStart, int hq, int hkv, int hd, float scale);

    /** Writes row r of src [n, width] to cache [B, maxT, width] at (slot[r], pos[r]). */
    void kvWrite(Tensor cache, Tensor src, int[] slot, int[] pos);

    /**
     * A step's keys and values into their caches: exactly {@code kvWrite(cacheK, k, slot, pos);
     * kvWrite(cacheV, v, slot, pos)} (one launch on a GPU). The caches have the same shape, k and v the same
     * row length; the four tensors must not overlap.
     */
    default void kvWrite(Tensor cacheK, Tensor cacheV, Tensor k, Tensor v, int[] slot, int[] pos) {
        if (!java.util.Arrays.equals(cacheK.shape(), cacheV.shape()) || k.rowLength() != v.rowLength()) {
            throw new IllegalArgumentException("kvWrite of keys and values: caches " + cacheK + " and " + cacheV + ", rows " + k + " and "
                    + v + " must have the same shapes");
        }
        kvWrite(cacheK, k, slot, pos);
        kvWrite(cacheV, v, slot, pos);
    }

    /** dst row i = src row rows[i] (both 2-D views of the same width). */
    void gatherRows(Tensor dst, Tensor src, int[] rows);

    /** One decode step: q, out [B, hq * hd]; caches [B, maxT, hkv * hd]; slot b sees its first lengths[b] rows. */
    void attentionDecode(Tensor out, Tensor q, Tensor kCache, Tensor vCache, int[] lengths, int hq, int hkv, int hd, float scale);

    void swiglu(Tensor out, Tensor gate, Tensor up);

    void swigluBackward(Tensor dGate, Tensor dUp, Tensor dOut, Tensor gate, Tensor up);

    /** {@link #swigluBackward} with dGate and dUp written as write says. */
    default void swigluBackward(Write write, Tensor dGate, Tensor dUp, Tensor dOut, Tensor gate, Tensor up) {
        if (write == Write.SET) {
            if (dGate != null) zero(dGate);
            if (dUp != null) zero(dUp);
        }
        swigluBackward(dGate, dUp, dOut, gate, up);
    }

    /** out = a + b (out may alias a or b). */
    void add(Tensor out, Tensor a, Tensor b);

    /**
     * A residual add and the RMSNorm that follows it: exactly {@code add(sum, a, b); rmsNorm(out, rstd, sum, w,
     * eps)}, bit for bit (a GPU backend does both in one pass over the rows, normalising the sum as stored).
     * sum may alias a or b (an in-place residual update); out and rstd must not overlap a, b, sum or w.
     */
    default void addRmsNorm(Tensor sum, Tensor out, Tensor rstd, Tensor a, Tensor b, Tensor w, float eps) {
        add(sum, a, b);
        rmsNorm(out, rstd, sum, w, eps);
    }

    /** Per-token outputs of the fused final norm + LM head + log-softmax, plus what its backward needs. */
    interface HeadResult {
        /** log p(target) per row (0 where the target is negative). */
        float[] logp();

        /** Entropy of each row's distribution (nats), or null when not asked for. */
        float[] entropy();

        /** Rank of each row's target (1 = argmax), or null when not asked for. */
        int[] rank();
    }

    /**
     * Fused final RMSNorm + LM head + log-softmax, chunked over the vocabulary (the [N, V] logits never
     * exist whole). h [N, D]; w [V, D]; targets[n] < 0 means no target.
     */
    HeadResult lmHead(Tensor h, Tensor normW, float eps, Tensor w, int[] targets, boolean wantEntropy, boolean wantRank);

    /**
     * {@link #lmHead} for a pass no backward follows (log-probs of rollouts, evaluation, probes): the same
     * results, bit for bit, but the backend may skip keeping what only {@link #lmHeadBackward} reads (the CUDA
     * backend's kept logits: 4 N V bytes). Its result may still be passed to lmHeadBackward, which then
     * recomputes what it needs.
     */
    default HeadResult lmHeadNoGrad(Tensor h, Tensor normW, float eps, Tensor w, int[] targets, boolean wantEntropy, boolean wantRank) {
        return lmHead(h, normW, eps, w, targets, wantEntropy, wantRank);
    }

    /** dh, dNormW, dW += the gradient of sum_n dLogp[n] logp[n] + dEntropy[n] entropy[n] (dEntropy may be null). */
    void lmHeadBackward(Tensor dh, Tensor dNormW, Tensor dW, float[] dLogp, float[] dEntropy, HeadResult saved,
                        Tensor h, Tensor normW, Tensor w, int[] targets);

    /** Full logits for a few rows (sampling): out [B, V] = rmsnorm(h [B, D]) w^T. */
    void logits(Tensor out, Tensor h, Tensor normW, float eps, Tensor w);

    /** Per-row results of {@link #sample}: token ids and log softmax(logits / T) at them (T = 1 when greedy). */
    record Picks(int[] tokens, float[] logp) {}

    /**
     * Samples one token from every row of logits [B, V] (see rift.kernels.cpu.Sampling for the exact
     * semantics). Row b uses uniforms[b] in [0, 1) (ignored when greedy), drawn by the caller from that
     * row's own random stream, so a row's pick never depends on the batch it is in. Ids at or past
     * {@code candidates} are never drawn; log-probs are normalised over the whole row.
     *
     * <p>This default downloads the logits and samples on the host; the CPU backend samples in place and the
     * CUDA backend on the device (only B ids and B log-probs come back). The CPU and this path give the
     * reference's bits. CUDA sums in another fixed order: the same tokens except where the uniform and a
     * cumulative mass (or a top-p / min-p cut and its threshold) are equal within the rounding of a double
     * sum (~1e-16 relative), and log-probs equal to the last bits of a float (ParityChecks allows 1e-6).
     */
    default Picks sample(Tensor logits, int candidates, SamplingParams params, double[] uniforms) {
        int b = logits.rowCount(), v = logits.rowLength();
        rift.kernels.cpu.Sampling.checkArguments(b, v, candidates, uniforms);
        float[] host = download(logits);
        int[] tokens = new int[b];
        float[] logp = new float[b];
        for (int r = 0; r < b; r++) tokens[r] = rift.kernels.cpu.Sampling.pick(host, r * v, v, candidates, params, uniforms[r], logp, r);
        return new Picks(tokens, logp);
    }

    /** One AdamW update (see rift.kernels.cpu.AdamW); step is 1-based. */
    void adamw(Tensor p, Tensor g, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, float weightDecay,
               int step, float gradScale);

    /**
     * The same update, then {@code shadow} (same shape, any storage type) receives the new p: the model's
     * bf16 weights beside fp32 master weights. A GPU backend writes both in one pass; the bits equal an
     * {@link #adamw} followed by {@link #copy}.
     */
    default void adamw(Tensor p, Tensor g, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, float weightDecay,
                       int step, float gradScale, Tensor shadow) {
        adamw(p, g, m, v, lr, beta1, beta2, eps, weightDecay, step, gradScale);
        if (shadow != null) copy(shadow, p);
    }

    /** One tensor of a multi-tensor {@link #adamw(java.util.List, float, float, float, float, int, float)}; shadow may be null. */
    record AdamWSlot(Tensor p, Tensor g, Tensor m, Tensor v, Tensor shadow, float weightDecay) {}

    /**
     * {@link #adamw(Tensor, Tensor, Tensor, Tensor, float, float, float, float, float, int, float, Tensor)} for
     * every slot, with its own weight decay and shadow; the bits equal those per-tensor calls. A GPU backend
     * updates them all in one launch (a training step has hundreds of tensors, many of them tiny), so no
     * slot's tensors may overlap another's.
     */
    default void adamw(java.util.List<AdamWSlot> slots, float lr, float beta1, float beta2, float eps, int step, float gradScale) {
        for (AdamWSlot s : slots) {
            adamw(s.p(), s.g(), s.m(), s.v(), lr, beta1, beta2, eps, s.weightDecay(), step, gradScale, s.shadow());
        }
    }

    /** Sum of squares, accumulated in double (global grad norm). */
    double sumSquares(Tensor t);

    /**
     * {@link #sumSquares(Tensor)} of each tensor, in order, each with exactly the bits the single call
     * gives; a GPU backend queues them all and reads the results back once (a global grad norm over
     * hundreds of tensors would otherwise wait for the device once per tensor).
     */
    default double[] sumSquares(java.util.List<Tensor> ts) {
        double[] out = new double[ts.size()];
        for (int i = 0; i < out.length; i++) out[i] = sumSquares(ts.get(i));
        return out;
    }

    void scale(Tensor t, float s);
}
