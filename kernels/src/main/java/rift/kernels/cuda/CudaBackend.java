package rift.kernels.cuda;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import rift.kernels.Backend;
import rift.kernels.SamplingParams;
import rift.kernels.Tensor;
import rift.kernels.Write;
import rift.kernels.cpu.Rope;

/**
 * The CUDA backend: rift's own kernels (src/main/cuda, one fatbin launched through the JCuda driver
 * API) and cuBLAS GEMMs (through FFM), behind the {@link Backend} interface and checked op by op
 * against the CPU backend ({@link ParityChecks}).
 *
 * <p>Storage: {@link Options#storage} is the type {@link #zeros(int...)} allocates: F32 (parity runs,
 * and the default) or BF16 (activations and weights in bf16, fp32 arithmetic in every kernel, fp32
 * accumulation in cuBLAS). Any tensor may have either type: {@link #zeros(DType, int...)} makes fp32
 * master weights, AdamW moments, gradients, lse and rstd next to bf16 activations, and
 * {@link #copy} converts. GEMM inputs of mixed type are converted to bf16 first.
 *
 * <p>Determinism: no kernel uses float atomics; reductions have fixed trees and fixed chunkings that
 * depend on the shapes only, and cuBLAS is deterministic on one stream. Same inputs, same GPU model:
 * same bits.
 *
 * <p>Ops run asynchronously on one stream; downloads wait for them. With {@link Options#syncEachOp}
 * every op waits and reports a failed kernel by the op's name (ParityMain uses it).
 */
public final class CudaBackend implements Backend, AutoCloseable {
    /**
     * @param storage        the type zeros(shape) allocates
     * @param syncEachOp     wait after every op so a kernel fault names its op (slower)
     * @param headRowTile    LM head: rows per logits block
     * @param headVocabChunk LM head: vocabulary entries per logits block (the block is headRowTile x headVocabChunk fp32)
     */
    public record Options(DType storage, boolean syncEachOp, int headRowTile, int headVocabChunk) {
        public Options {
            if (storage == null) throw new IllegalArgumentException("storage type is required");
            if (headRowTile < 1 || headVocabChunk < 1) throw new IllegalArgumentException("LM head tiles must be >= 1");
        }

        public static Options fp32() {
            int[] t = defaultHeadTiles();
            return new Options(DType.F32, false, t[0], t[1]);
        }

        public static Options bf16() {
            int[] t = defaultHeadTiles();
            return new Options(DType.BF16, false, t[0], t[1]);
        }

        /**
         * The LM head tiling of fp32() and bf16(): 2048 rows x 16384 vocabulary entries (a 128 MB fp32 block),
         * or ROWSxCHUNK from -Drift.cuda.headTiles, so a GPU run can measure another tiling without a rebuild
         * (ParityMain --bench times several).
         */
        static int[] defaultHeadTiles() {
            String p = System.getProperty("rift.cuda.headTiles");
            if (p == null || p.isBlank()) return new int[] {2048, 16384};
            String[] parts = p.trim().split("x");
            try {
                if (parts.length == 2) {
                    int rows = Integer.parseInt(parts[0]), chunk = Integer.parseInt(parts[1]);
                    if (rows >= 1 && chunk >= 1) return new int[] {rows, chunk};
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new rift.kernels.RiftException("-Drift.cuda.headTiles=" + p + " is not ROWSxCHUNK with two positive integers;"
                    + " write e.g. -Drift.cuda.headTiles=1024x8192, or leave it out for the default 2048x16384");
        }

        public Options withSyncEachOp(boolean sync) {
            return new Options(storage, sync, headRowTile, headVocabChunk);
        }

        public Options withHeadTiles(int rowTile, int vocabChunk) {
            return new Options(storage, syncEachOp, rowTile, vocabChunk);
        }
    }

    private static final Cleaner CLEANER = Cleaner.create();
    static final int THREADS = 256;

    final Gpu dev;
    final Gpu.Blas blas;
    final Options options;
    /** Tensor allocations not yet freed, by address (JCuda pointers only, so the Memory objects stay collectable). */
    private final Map<Long, Object> live = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> unreachable = new ConcurrentLinkedQueue<>();
    private final Map<String, Gpu.Memory> scratch = new HashMap<>();
    private final Map<String, IntUpload> lastInts = new HashMap<>();
    private final Map<Rope.Table, Gpu.Memory[]> ropeTables = new IdentityHashMap<>();
    private boolean closed;
    /** LM head tiling (from the options; tests shrink it to exercise several blocks on small shapes). */
    int headRowTile, headVocabChunk;
    /**
     * LM head: the forward keeps all logits blocks for the backward (which then skips recomputing them, one
     * GEMM of N x V x D) when they take at most this many bytes and the memory is there; 0 always recomputes.
     */
    long headKeepLogitsBytes = 4L << 30;
    /** Which LM head forward the "head.kept" buffer holds (see CudaLmHead.Saved.keptGeneration). */
    long headKeptGeneration;

    /**
     * How ops run: EAGER issues their device work; STAGE (a graph replay's first half) does only their host work:
     * checks, index-array uploads, scratch allocation; CAPTURE issues it into the graph being recorded. See CudaGraphs.
     */
    enum Mode { EAGER, STAGE, CAPTURE }

    Mode mode = Mode.EAGER;
    /**
     * Whether the fused ops (addRmsNorm, rmsNormRope, the keys-and-values kvWrite) run as single kernels; with
     * -Drift.cuda.fused=off they run as Backend's compositions of the single ops (the same bits), a fallback for a
     * GPU where the fused kernels fail their parity checks.
     */
    private final boolean fusedOps = fusedByProperty();

    static boolean fusedByProperty() {
        String p = System.getProperty("rift.cuda.fused");
        if (p == null || p.isBlank() || p.equals("on")) return true;
        if (p.equals("off")) return false;
        throw new rift.kernels.RiftException("-Drift.cuda.fused=" + p + " is not on or off; write -Drift.cuda.fused=off to run the"
                + " fused ops as their single-op compositions, or leave it out");
    }
    /** Moves on whenever a scratch buffer is reallocated: a graph recorded before holds its old address. */
    long scratchEpoch;
    final CudaGraphs graphs = new CudaGraphs(this);

    public CudaBackend(Options options) {
        this(0, options);
    }

    public CudaBackend(int deviceOrdinal, Options options) {
        this(CudaDevice.open(deviceOrdinal), options);
    }

    /** Over any {@link Gpu} (the tests' CPU emulation too); takes ownership of it. */
    CudaBackend(Gpu gpu, Options options) {
        this.options = options;
        this.headRowTile = options.headRowTile();
        this.headVocabChunk = options.headVocabChunk();
        this.dev = gpu;
        Gpu.Blas b = null;
        try {
            gpu.makeCurrent();
            b = gpu.blas();
        } finally {
            if (b == null) gpu.close();
        }
        this.blas = b;
        graphs.prepare(); // cuBLAS's own workspace from the first GEMM on, when graphs are on
    }

    /** The GPU's L2 cache in bytes, or 0 when unknown. */
    public long l2Bytes() {
        return dev.l2Bytes();
    }

    /** "NVIDIA H100 80GB HBM3 (sm_90, 132 SMs, ...), cuBLAS libcublas.so.13". */
    public String describe() {
        return dev.describe() + ", cuBLAS " + blas.library() + ", storage " + options.storage();
    }

    @Override
    public String name() {
        return options.storage() == DType.F32 ? "cuda" : "cuda-bf16";
    }

    @Override
    public int threads() {
        return 1;
    }

    // ---------------------------------------------------------------- memory

    @Override
    public CudaTensor zeros(int... shape) {
        return zeros(options.storage(), shape);
    }

    @Override
    public CudaTensor zerosF32(int... shape) {
        return zeros(DType.F32, shape);
    }

    @Override
    public boolean lowPrecisionStorage() {
        return options.storage() != DType.F32;
    }

    /** A zero tensor of the given storage type (fp32 master weights, moments, lse, rstd in bf16 mode). */
    public CudaTensor zeros(DType dtype, int... shape) {
        enter();
        notInGraph("allocating a tensor");
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        Gpu.Memory m = alloc(n * dtype.bytes());
        live.put(m.address, m.handle);
        CudaTensor t = new CudaTensor(this, m, dtype, shape);
        long address = m.address;
        // the action holds only the address: the Memory (and so every view) can become unreachable
        CLEANER.register(m, () -> unreachable.add(address));
        dev.zero(m, m.bytes);
        done("zeros");
        return t;
    }

    @Override
    public void zero(Tensor t) {
        enter();
        CudaTensor c = of(t);
        if (mode != Mode.STAGE) dev.zero(c.memory, c.bytes());
        done("zero", 0, c.bytes());
    }

    /** Every tensor in one launch (CudaMultiTensor.zero) instead of one memset each. */
    @Override
    public void zero(List<Tensor> ts) {
        enter();
        CudaMultiTensor.zero(this, ts);
        done("zero (multi-tensor)", 0, bytes(ts));
    }

    @Override
    public void upload(Tensor dst, float[] src) {
        enter();
        notInGraph("upload");
        CudaTensor d = of(dst);
        if (src.length != d.numel()) throw new IllegalArgumentException("upload of " + src.length + " floats into " + dst);
        if (src.length == 0) return;
        dev.write(d.memory, 0, d.dtype() == DType.F32 ? src : Bf16.fromFloats(src, src.length), d.bytes());
        done("upload");
    }

    @Override
    public float[] download(Tensor src) {
        enter();
        notInGraph("download");
        CudaTensor s = of(src);
        int n = Math.toIntExact(s.numel());
        if (n == 0) return new float[0];
        if (s.dtype() == DType.F32) {
            float[] out = new float[n];
            dev.read(out, s.memory, s.bytes());
            return out;
        }
        short[] raw = new short[n];
        dev.read(raw, s.memory, s.bytes());
        return Bf16.toFloats(raw, n);
    }

    /** Copies src to dst, converting between fp32 and bf16 when their types differ. */
    @Override
    public void copy(Tensor dst, Tensor src) {
        enter();
        CudaTensor d = of(dst), s = of(src);
        if (d.numel() != s.numel()) throw new IllegalArgumentException("copy " + src + " -> " + dst);
        if (d.numel() == 0) return;
        if (d.dtype() == s.dtype()) {
            if (mode != Mode.STAGE) dev.copy(d.memory, s.memory, s.bytes());
        } else {
            long n = s.numel();
            launch(Kernels.CONVERT, grid8(n), 1, 0, d.address(), d.dtype().flag(), s.address(), s.dtype().flag(), n);
        }
        done("copy", 0, d.bytes() + s.bytes());
    }

    /** Frees t's allocation now (every view of it becomes invalid). */
    public void free(Tensor t) {
        enter();
        CudaTensor c = of(t);
        if (live.remove(c.memory.address) != null) {
            dev.synchronize("free");
            dev.free(c.memory.handle);
        }
    }

    // ---------------------------------------------------------------- dense (CudaDense)

    @Override
    public void linear(Tensor y, Tensor x, Tensor w, Tensor bias) {
        enter();
        CudaDense.linear(this, y, x, w, bias);
    }

    @Override
    public void linearBackward(Tensor dx, Tensor dw, Tensor dBias, Tensor dy, Tensor x, Tensor w) {
        linearBackward(Write.ADD, dx, dw, dBias, dy, x, w);
    }

    @Override
    public void linearBackward(Write dxWrite, Tensor dx, Tensor dw, Tensor dBias, Tensor dy, Tensor x, Tensor w) {
        enter();
        CudaDense.linearBackward(this, dxWrite, dx, dw, dBias, dy, x, w);
    }

    // ---------------------------------------------------------------- embedding, norm, rope (CudaNormRope)

    @Override
    public void embedding(Tensor out, int[] ids, Tensor table) {
        enter();
        CudaNormRope.embedding(this, out, ids, table);
    }

    @Override
    public void embeddingBackward(Tensor dTable, int[] ids, Tensor dOut) {
        enter();
        CudaNormRope.embeddingBackward(this, dTable, ids, dOut);
    }

    @Override
    public void rmsNorm(Tensor out, Tensor rstd, Tensor x, Tensor w, float eps) {
        enter();
        CudaNormRope.rmsNorm(this, out, rstd, x, w, eps);
    }

    @Override
    public void addRmsNorm(Tensor sum, Tensor out, Tensor rstd, Tensor a, Tensor b, Tensor w, float eps) {
        if (!fusedOps) {
            Backend.super.addRmsNorm(sum, out, rstd, a, b, w, eps);
            return;
        }
        enter();
        CudaNormRope.addRmsNorm(this, sum, out, rstd, a, b, w, eps);
    }

    @Override
    public void rmsNormBackward(Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, Tensor rstd) {
        rmsNormBackward(Write.ADD, dx, dw, dOut, x, w, rstd);
    }

    @Override
    public void rmsNormBackward(Write dxWrite, Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, Tensor rstd) {
        enter();
        CudaNormRope.rmsNormBackward(this, dxWrite, dx, dw, dOut, x, w, rstd);
    }

    @Override
    public void rope(Tensor x, int heads, int headDim, int[] positions, Rope.Table table) {
        enter();
        CudaNormRope.rope(this, x, heads, headDim, positions, table);
    }

    @Override
    public void ropeBackward(Tensor dx, int heads, int headDim, int[] positions, Rope.Table table) {
        enter();
        CudaNormRope.ropeBackward(this, dx, heads, headDim, positions, table);
    }

    @Override
    public void rmsNormRope(Tensor out, Tensor rstd, Tensor x, Tensor w, float eps, int heads, int headDim, int[] positions,
                            Rope.Table table) {
        if (!fusedOps) {
            Backend.super.rmsNormRope(out, rstd, x, w, eps, heads, headDim, positions, table);
            return;
        }
        enter();
        CudaNormRope.rmsNormRope(this, out, rstd, x, w, eps, heads, headDim, positions, table);
    }

    /** cos and sin of a table, uploaded on first use and kept for the backend's life. */
    Gpu.Memory[] ropeTable(Rope.Table t) {
        Gpu.Memory[] cs = ropeTables.get(t);
        if (cs == null) {
            cs = new Gpu.Memory[] {alloc(4L * t.cos().length), alloc(4L * t.sin().length)};
            if (t.cos().length > 0) {
                dev.write(cs[0], 0, t.cos(), 4L * t.cos().length);
                dev.write(cs[1], 0, t.sin(), 4L * t.sin().length);
            }
            ropeTables.put(t, cs);
        }
        return cs;
    }

    // ---------------------------------------------------------------- attention

    @Override
    public void attention(Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, int[] seqStart, int hq, int hkv, int hd, float scale) {
        enter();
        CudaAttention.forward(this, of(out), of(lse), of(q), of(k), of(v), seqStart, hq, hkv, hd, scale);
        done("attention", attentionFlops(seqStart, hq, hd), 0);
    }

    @Override
    public void attentionBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dOut, Tensor out, Tensor lse, Tensor q, Tensor k,
                                  Tensor v, int[] seqStart, int hq, int hkv, int hd, float scale) {
        enter();
        CudaAttention.backward(this, dq == null ? null : of(dq), dk == null ? null : of(dk), dv == null ? null : of(dv), of(dOut),
                of(out), of(lse), of(q), of(k), of(v), seqStart, hq, hkv, hd, scale);
        done("attentionBackward", 2.5 * attentionFlops(seqStart, hq, hd), 0); // 5 products against the forward's 2
    }

    @Override
    public void kvWrite(Tensor cache, Tensor src, int[] slot, int[] pos) {
        enter();
        CudaRows.kvWrite(this, cache, src, slot, pos);
    }

    @Override
    public void kvWrite(Tensor cacheK, Tensor cacheV, Tensor k, Tensor v, int[] slot, int[] pos) {
        if (!fusedOps) {
            Backend.super.kvWrite(cacheK, cacheV, k, v, slot, pos);
            return;
        }
        enter();
        CudaRows.kvWrite(this, cacheK, cacheV, k, v, slot, pos);
    }

    @Override
    public void gatherRows(Tensor dst, Tensor src, int[] rows) {
        enter();
        CudaRows.gatherRows(this, dst, src, rows);
    }

    @Override
    public void attentionDecode(Tensor out, Tensor q, Tensor kCache, Tensor vCache, int[] lengths, int hq, int hkv, int hd, float scale) {
        enter();
        CudaTensor K = of(kCache);
        CudaAttention.decode(this, of(out), of(q), K, of(vCache), lengths, hq, hkv, hd, scale);
        long cached = 0;
        for (int len : lengths) cached += len;
        done("attentionDecode", 0, 2 * cached * hkv * hd * K.dtype().bytes()); // the K and V rows each slot sees
    }

    // ---------------------------------------------------------------- element-wise (CudaElementwise)

    @Override
    public void swiglu(Tensor out, Tensor gate, Tensor up) {
        enter();
        CudaElementwise.swiglu(this, out, gate, up);
    }

    @Override
    public void swigluBackward(Tensor dGate, Tensor dUp, Tensor dOut, Tensor gate, Tensor up) {
        swigluBackward(Write.ADD, dGate, dUp, dOut, gate, up);
    }

    @Override
    public void swigluBackward(Write write, Tensor dGate, Tensor dUp, Tensor dOut, Tensor gate, Tensor up) {
        enter();
        CudaElementwise.swigluBackward(this, write, dGate, dUp, dOut, gate, up);
    }

    @Override
    public void add(Tensor out, Tensor a, Tensor b) {
        enter();
        CudaElementwise.add(this, out, a, b);
    }

    @Override
    public void scale(Tensor t, float s) {
        enter();
        CudaElementwise.scale(this, t, s);
    }

    @Override
    public void adamw(Tensor p, Tensor g, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, float weightDecay,
                      int step, float gradScale) {
        adamw(p, g, m, v, lr, beta1, beta2, eps, weightDecay, step, gradScale, null);
    }

    @Override
    public void adamw(Tensor p, Tensor g, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps, float weightDecay,
                      int step, float gradScale, Tensor shadow) {
        enter();
        CudaElementwise.adamw(this, p, g, m, v, lr, beta1, beta2, eps, weightDecay, step, gradScale, shadow);
    }

    /** Every slot's update in one launch; the bits equal one {@link #adamw} per slot. */
    @Override
    public void adamw(List<AdamWSlot> slots, float lr, float beta1, float beta2, float eps, int step, float gradScale) {
        enter();
        CudaMultiTensor.adamw(this, slots, lr, beta1, beta2, eps, step, gradScale);
        long bytes = 0; // p, m, v read and written, g read, the bf16 shadow written
        for (AdamWSlot a : slots) bytes += 2 * (of(a.p()).bytes() + of(a.m()).bytes() + of(a.v()).bytes()) + of(a.g()).bytes()
                + (a.shadow() == null ? 0 : of(a.shadow()).bytes());
        done("adamw (multi-tensor)", 0, bytes);
    }

    /** Sum of squares in double: fixed chunks (from numel alone) and a fixed tree, then one download. */
    @Override
    public double sumSquares(Tensor t) {
        enter();
        return CudaElementwise.sumSquares(this, t);
    }

    /** Every tensor's total in two launches and one read, each with the bits of {@link #sumSquares(Tensor)}. */
    @Override
    public double[] sumSquares(List<Tensor> ts) {
        enter();
        double[] out = CudaMultiTensor.sumSquares(this, ts);
        done("sumSquares", 0, bytes(ts));
        return out;
    }

    // ---------------------------------------------------------------- LM head

    @Override
    public HeadResult lmHead(Tensor h, Tensor normW, float eps, Tensor w, int[] targets, boolean wantEntropy, boolean wantRank) {
        enter();
        HeadResult r = CudaLmHead.forward(this, of(h), of(normW), eps, of(w), targets, wantEntropy, wantRank, true);
        done("lmHead", 2.0 * h.rowCount() * w.numel(), 0);
        return r;
    }

    @Override
    public HeadResult lmHeadNoGrad(Tensor h, Tensor normW, float eps, Tensor w, int[] targets, boolean wantEntropy, boolean wantRank) {
        enter();
        HeadResult r = CudaLmHead.forward(this, of(h), of(normW), eps, of(w), targets, wantEntropy, wantRank, false);
        done("lmHead", 2.0 * h.rowCount() * w.numel(), 0);
        return r;
    }

    @Override
    public void lmHeadBackward(Tensor dh, Tensor dNormW, Tensor dW, float[] dLogp, float[] dEntropy, HeadResult saved, Tensor h,
                               Tensor normW, Tensor w, int[] targets) {
        enter();
        if (!(saved instanceof CudaLmHead.Saved s)) {
            throw new IllegalArgumentException("lmHeadBackward needs the HeadResult of this backend's lmHead, got " + saved);
        }
        CudaLmHead.backward(this, dh == null ? null : of(dh), dNormW == null ? null : of(dNormW), dW == null ? null : of(dW),
                dLogp, dEntropy, s, of(h), of(normW), of(w), targets);
        done("lmHeadBackward", 2.0 * h.rowCount() * w.numel() * ((dh != null ? 1 : 0) + (dW != null ? 1 : 0)), 0);
    }

    @Override
    public void logits(Tensor out, Tensor h, Tensor normW, float eps, Tensor w) {
        enter();
        CudaTensor O = of(out), H = of(h), NW = of(normW), W = of(w);
        int n = H.rowCount(), d = H.rowLength(), v = W.dim(0);
        require(W.rowLength() == d && NW.numel() == d && O.rowCount() == n && O.rowLength() == v, "logits", out, h, normW, w);
        if (n == 0) return;
        CudaTensor xn = scratchTensor("logits.xn", W.dtype(), n, d);
        CudaNormRope.rmsNormRows(this, xn, null, H, NW, n, d, eps);
        gemm(false, true, n, v, d, 1f, mat(xn, 0, d), mat(W, 0, d), 0f, mat(O, 0, v));
        done("logits", 2.0 * n * v * d, 0);
    }

    // ---------------------------------------------------------------- sampling

    /**
     * One block per row samples on the device (sampling.cuh): temperature, top-k, top-p, min-p, greedy, all
     * without a sort; the logits never leave the device. The uniforms go up (8 bytes a row) and the ids and
     * log-probs come back in one read.
     */
    @Override
    public Picks sample(Tensor logits, int candidates, SamplingParams params, double[] uniforms) {
        enter();
        notInGraph("sample (it reads its picks back)");
        CudaTensor L = of(logits);
        int b = L.rowCount(), v = L.rowLength();
        rift.kernels.cpu.Sampling.checkArguments(b, v, candidates, uniforms);
        if (b == 0) return new Picks(new int[0], new float[0]);
        Gpu.Memory u = scratch("sample.uniforms", 8L * b);
        dev.write(u, 0, uniforms, 8L * b);
        Gpu.Memory out = scratch("sample.out", 8L * b); // b token ids, then b log-probs (fp32 bits)
        launch(Kernels.SAMPLE, b, 1, 0, out.address, out.address + 4L * b, L.address(), L.dtype().flag(), v, candidates,
                u.address, params.temperature(), params.topK(), params.topP(), params.minP());
        int[] raw = new int[2 * b];
        dev.read(raw, out, 8L * b);
        int[] tokens = java.util.Arrays.copyOf(raw, b);
        float[] logp = new float[b];
        for (int r = 0; r < b; r++) logp[r] = Float.intBitsToFloat(raw[b + r]);
        done("sample");
        return new Picks(tokens, logp);
    }

    // ---------------------------------------------------------------- GEMM

    /** A matrix operand: device address of its first element, storage type, leading dimension (elements). */
    record Mat(long address, DType dtype, int ld) {}

    static Mat mat(CudaTensor t, long elementOffset, int ld) {
        return new Mat(t.address(elementOffset), t.dtype(), ld);
    }

    /**
     * Row-major C = alpha op(A) op(B) + beta C through cuBLAS (see {@link GemmMapping}). All-fp32
     * operands run an fp32 GEMM; otherwise A and B run as bf16 (an fp32 one is converted into scratch
     * first) with fp32 accumulation, and C keeps its own type.
     */
    void gemm(boolean transA, boolean transB, int M, int N, int K, float alpha, Mat A, Mat B, float beta, Mat C) {
        gemmBatched(transA, transB, M, N, K, alpha, A, 0, B, 0, beta, C, 0, 1);
    }

    /** batch GEMMs with element strides between the batch's A, B and C (cublasGemmStridedBatchedEx). */
    void gemmBatched(boolean transA, boolean transB, int M, int N, int K, float alpha, Mat A, long strideA, Mat B, long strideB,
                     float beta, Mat C, long strideC, int batch) {
        if (M == 0 || N == 0 || batch == 0) return;
        if (K == 0) {
            if (beta == 1f) return;
            if (C.ld() != N || (batch > 1 && strideC != (long) M * N)) {
                throw new UnsupportedOperationException("K = 0 GEMM into a strided C");
            }
            long n = (long) M * N * batch;
            launch(Kernels.SCALE, grid8(n), 1, 0, C.address(), C.dtype().flag(), beta, n);
            return;
        }
        DType ab = A.dtype() == DType.F32 && B.dtype() == DType.F32 && C.dtype() == DType.F32 ? DType.F32 : DType.BF16;
        Mat a = as(A, ab, transA ? K : M, transA ? M : K, strideA, batch, "gemm.a");
        Mat b = as(B, ab, transB ? N : K, transB ? K : N, strideB, batch, "gemm.b");
        GemmMapping.Call call = GemmMapping.fromRowMajor(transA, transB, M, N, K, a.address(), a.ld(), strideA, b.address(), b.ld(),
                strideB, C.address(), C.ld(), strideC, batch);
        if (mode == Mode.STAGE) return;
        blas.gemm(call, ab, C.dtype(), alpha, beta);
    }

    /** x as type want: itself, or a converted copy of its stored span (same leading dimension and strides). */
    private Mat as(Mat x, DType want, int rows, int cols, long stride, int batch, String name) {
        if (x.dtype() == want) return x;
        long n = (long) (batch - 1) * stride + (long) (rows - 1) * x.ld() + cols;
        Gpu.Memory m = scratch(name, n * want.bytes());
        launch(Kernels.CONVERT, grid8(n), 1, 0, m.address, want.flag(), x.address(), x.dtype().flag(), n);
        return new Mat(m.address, want, x.ld());
    }

    // ---------------------------------------------------------------- plumbing

    /** Start of every op: bind the context to this thread and free what the Cleaner found unreachable. */
    void enter() {
        if (closed) throw new IllegalStateException("the CUDA backend is closed");
        dev.makeCurrent();
        if (mode != Mode.EAGER) return; // frees wait: nothing may synchronise inside a graph's staging or capture
        graphs.reap();
        if (!unreachable.isEmpty()) {
            boolean synced = false;
            Long a;
            while ((a = unreachable.poll()) != null) {
                Object p = live.remove(a);
                if (p == null) continue;
                if (!synced) {
                    dev.synchronize("free (before)");
                    synced = true;
                }
                dev.free(p);
            }
        }
    }

    /**
     * Device memory, reclaiming what unreachable tensors hold when the GPU is full: their allocations are
     * freed only after the Java GC has found them (a Cleaner), and the GC runs on heap pressure, not GPU
     * pressure. So on CUDA_ERROR_OUT_OF_MEMORY (2) this collects, frees what was found, and tries once more.
     */
    private Gpu.Memory alloc(long bytes) {
        try {
            return dev.alloc(bytes);
        } catch (CudaFailure e) {
            if (e.code() != 2) throw e;
            System.gc();
            try {
                Thread.sleep(100); // let the Cleaner thread queue what the collection found
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            enter();
            return dev.alloc(bytes);
        }
    }

    /** End of every op: with syncEachOp or a profile, wait and name the op if a kernel failed. */
    private void done(String op) {
        done(op, 0, 0);
    }

    /**
     * Ends an op; a profile also records its useful work: the FLOPs of its GEMM-shaped products, or the bytes
     * one pass over its operands moves (the least any implementation moves), so the profile can show a rate.
     */
    void done(String op, double flops, long bytes) {
        if (mode != Mode.EAGER) return; // staged or captured: the graph launch is what a profile times
        if (profile != null) {
            if (profile.synchronised() || options.syncEachOp()) dev.synchronize(op);
            profile.add(op, flops, bytes);
        } else if (options.syncEachOp()) {
            dev.synchronize(op);
        }
    }

    private long bytes(List<Tensor> ts) {
        long b = 0;
        for (Tensor t : ts) b += of(t).bytes();
        return b;
    }

    /** FLOPs of causal attention's two products (Q K^T and P V) over packed sequences: 4 hd hq per (query, visible key) pair. */
    static double attentionFlops(int[] seqStart, int hq, int hd) {
        double pairs = 0;
        for (int s = 0; s + 1 < seqStart.length; s++) {
            double len = seqStart[s + 1] - seqStart[s];
            pairs += len * (len + 1) / 2;
        }
        return 4.0 * hd * hq * pairs;
    }

    private OpProfile profile;

    /** Profiles the ops that follow into p (see {@link OpProfile}); null stops. */
    public void profile(OpProfile p) {
        enter();
        if (p != null) {
            dev.synchronize("profile"); // a synchronised profile starts from an idle GPU; a host one from an empty queue
            p.mark();
        }
        profile = p;
    }

    void launch(Kernel k, int gx, int gy, int shared, Object... args) {
        if (mode == Mode.STAGE) return;
        dev.launch(k, gx, gy, shared, args);
    }

    /**
     * Runs ops, which the caller repeats with the same tensors and shapes: with -Drift.cuda.graphs=on they are
     * recorded once as a CUDA graph under key (an object the caller keeps for as long as it repeats them) and
     * replayed, their index arrays re-uploaded each time (see CudaGraphs). ops must not read results back.
     */
    @Override
    public void repeatable(Object key, Runnable ops) {
        enter();
        if (graphs.run(key, ops)) done("graph replay (staging + launch)"); // the ops inside report nothing of their own
    }

    /** Whether repeatable() records graphs (tests; the default comes from -Drift.cuda.graphs). */
    public void useGraphs(boolean on) {
        graphs.setEnabled(on);
    }

    /** "off", "on: N captured, M replayed", or why graphs were turned off. */
    public String graphStatus() {
        return graphs.status();
    }

    /** A named scratch buffer of at least `bytes`, reused across calls (grown, never shrunk). */
    Gpu.Memory scratch(String name, long bytes) {
        Gpu.Memory m = scratch.get(name);
        if (m == null || m.bytes < bytes) {
            if (m != null) {
                dev.synchronize("scratch resize");
                dev.free(m.handle);
                scratchEpoch++;
            }
            m = alloc(Math.max(bytes, 256));
            scratch.put(name, m);
        }
        return m;
    }

    /** A tensor view of a named scratch buffer (valid until the next use of that name). */
    CudaTensor scratchTensor(String name, DType dtype, int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return new CudaTensor(this, scratch(name, n * dtype.bytes()), dtype, shape);
    }

    /**
     * The first n ints of data in a named device scratch buffer. The upload (a synchronising copy) is
     * skipped when the buffer already holds exactly these ints: positions, tiles and targets repeat
     * for every layer of a step, and comparing a few thousand ints costs less than a round trip.
     */
    Gpu.Memory ints(String name, int[] data, int n) {
        if (data.length < n) throw new IllegalArgumentException(name + ": need " + n + " ints, got " + data.length);
        Gpu.Memory m = scratch(name, 4L * n);
        if (mode == Mode.STAGE) graphs.staged(name, data, n);
        IntUpload last = lastInts.get(name);
        if (last != null && last.memory == m && Arrays.equals(last.values, 0, last.values.length, data, 0, n)) return m;
        dev.write(m, 0, data, 4L * n);
        lastInts.put(name, new IntUpload(m, Arrays.copyOf(data, n)));
        return m;
    }

    /** What a named int scratch buffer holds (its allocation, and the values last written to it). */
    private record IntUpload(Gpu.Memory memory, int[] values) {}

    /** The first n floats of data in a named device scratch buffer. */
    Gpu.Memory floats(String name, float[] data, int n) {
        notInGraph("a float upload (" + name + ")");
        if (data.length < n) throw new IllegalArgumentException(name + ": need " + n + " floats, got " + data.length);
        Gpu.Memory m = scratch(name, 4L * n);
        dev.write(m, 0, data, 4L * n);
        return m;
    }

    void downloadInto(float[] dst, Gpu.Memory src, int n) {
        dev.read(dst, src, 4L * n);
    }

    void downloadInto(int[] dst, Gpu.Memory src, int n) {
        dev.read(dst, src, 4L * n);
    }

    void downloadInto(double[] dst, Gpu.Memory src, int n) {
        dev.read(dst, src, 8L * n);
    }

    void memsetZero(Gpu.Memory m, long bytes) {
        notInGraph("a memset");
        dev.zero(m, bytes);
    }

    /**
     * Inside repeatable() (STAGE or CAPTURE) an op that allocates, moves data to or from the host, or writes device
     * memory outside a kernel cannot be replayed as a graph: this stops the recording, and repeatable() turns graphs
     * off, says why, and runs the ops eagerly.
     */
    private void notInGraph(String what) {
        if (mode != Mode.EAGER) throw CudaGraphs.notRepeatable(what + " inside repeatable ops");
    }

    /** Blocks for a grid-stride loop over n elements (at most 2^20 blocks; at least 1 when n > 0). */
    static int grid(long n) {
        return (int) Math.min((n + THREADS - 1) / THREADS, 1 << 20);
    }

    /** Blocks for the streaming element-wise kernels, which take 8 elements per thread (elementwise.cuh). */
    static int grid8(long n) {
        return grid((n + 7) / 8);
    }

    /** Blocks of 256 covering n columns. */
    static int blocks(int n) {
        return (n + THREADS - 1) / THREADS;
    }

    /** The CUDA tensor behind t (fails clearly for another backend's tensor). */
    CudaTensor of(Tensor t) {
        if (t instanceof CudaTensor c) {
            if (c.owner != this) throw new IllegalArgumentException(t + " belongs to another CUDA backend");
            return c;
        }
        throw new IllegalArgumentException("expected a CUDA tensor, got " + t);
    }

    static void require(boolean ok, String op, Tensor... ts) {
        if (!ok) throw new IllegalArgumentException(op + ": shape mismatch " + Arrays.toString(ts));
    }

    /** Whether two tensors share device memory (null and empty tensors share none). */
    static boolean overlap(CudaTensor a, CudaTensor b) {
        if (a == null || b == null || a.bytes() == 0 || b.bytes() == 0) return false;
        return a.address() < b.address() + b.bytes() && b.address() < a.address() + a.bytes();
    }

    /**
     * A fused op's aliasing contract: no output in outs may share memory with any of ins, nor with another output
     * (nulls are skipped).
     */
    static void disjoint(String op, CudaTensor[] outs, CudaTensor... ins) {
        for (int a = 0; a < outs.length; a++) {
            for (CudaTensor i : ins) {
                if (overlap(outs[a], i)) {
                    throw new IllegalArgumentException(op + ": output " + outs[a] + " shares memory with input " + i
                            + "; give the output a tensor of its own");
                }
            }
            for (int b = a + 1; b < outs.length; b++) {
                if (overlap(outs[a], outs[b])) {
                    throw new IllegalArgumentException(op + ": outputs " + outs[a] + " and " + outs[b] + " share memory; give each a"
                            + " tensor of its own");
                }
            }
        }
    }

    /**
     * An in-place operand: out may be in exactly (same address and size), as an element-wise kernel's lane reads an
     * element before it writes it, or apart from it; a partial overlap would let one lane overwrite what another
     * still reads.
     */
    static void sameOrApart(String op, CudaTensor out, CudaTensor in) {
        if (overlap(out, in) && !(out.address() == in.address() && out.bytes() == in.bytes())) {
            throw new IllegalArgumentException(op + ": " + out + " partly overlaps " + in + "; pass the same tensor to update it in"
                    + " place, or tensors apart");
        }
    }

    static void need(CudaTensor t, long rows, int heads, int hd, String name) {
        if (t.numel() < rows * heads * hd) {
            throw new IllegalArgumentException(name + " needs at least " + rows * heads * hd + " elements (" + rows + " x " + heads
                    + " x " + hd + "), has " + t.numel());
        }
    }

    static void checkIds(int[] ids, int N, int V) {
        if (N > ids.length) throw new IllegalArgumentException("N = " + N + " > ids.length = " + ids.length);
        for (int n = 0; n < N; n++) {
            if (ids[n] < 0 || ids[n] >= V) {
                throw new IllegalArgumentException("token id " + ids[n] + " at position " + n + " is outside the vocabulary [0, " + V + ")");
            }
        }
    }

    /** Waits for all queued work (timing, or before reading results another way). */
    public void synchronize() {
        enter();
        dev.synchronize("synchronize");
    }

    /** Frees every allocation, the cuBLAS handle and the context reference. Tensors of this backend become invalid. */
    @Override
    public void close() {
        if (closed) return;
        try {
            dev.makeCurrent();
            try {
                dev.synchronize("close");
            } catch (CudaFailure e) {
                // a faulted context: free what we can
            }
            graphs.close();
            blas.close();
            for (Object p : new ArrayList<>(live.values())) dev.free(p);
            for (Gpu.Memory m : scratch.values()) dev.free(m.handle);
            for (Gpu.Memory[] cs : ropeTables.values()) for (Gpu.Memory m : cs) dev.free(m.handle);
        } catch (CudaFailure e) {
            // keep closing
        } finally {
            live.clear();
            scratch.clear();
            ropeTables.clear();
            closed = true;
            dev.close();
        }
    }
}
