package rift.kernels.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.kernels.cpu.CpuBackend;
import rift.kernels.cpu.Gemm;
import rift.kernels.cpu.Rope;

/**
 * Every {@link Backend} op run on the CPU backend (the reference) and on a device backend from the
 * same seeded inputs, compared within stated tolerances. Used by CudaParityTest (JUnit, skipped
 * without a GPU) and by {@link ParityMain} (the GPU machine has no Maven).
 *
 * <p>Error measure: max |device - cpu| / max |cpu| over each output (outputs that are all zero use the
 * absolute difference), the largest over an op's outputs. Tolerances: fp32 storage 1e-5 for forward
 * ops and 5e-5 for backward ops that sum long products (GEMM, attention, LM head), 0 where the result
 * must be bitwise (copies, gathers, the embedding); bf16 storage 2e-2, with inputs rounded to bf16 for
 * both backends so only the device's own rounding counts. Backward ops start from random gradient
 * buffers, so the accumulate (+=) semantics are compared too. Determinism checks run an op twice and
 * require the same bits.
 *
 * <p>With a CPU backend as the "device" the harness checks itself (every check must pass with
 * error 0 or near it): ParityChecksSelfTest.
 */
public final class ParityChecks {
    /** One check's outcome. */
    public record Result(String name, boolean pass, double error, double tolerance, String detail) {}

    /** A named check; run() may throw (the caller records that as an error). */
    public record Check(String name, java.util.function.Supplier<Result> body) {
        public Result run() {
            return body.get();
        }
    }

    private final Backend cpu = new CpuBackend();
    private final Backend dev;
    private final boolean bf16;
    private final double tolFwd, tolBwd;
    private SplittableRandom random;

    /** dev: the backend under test; bf16: whether its storage is bf16 (inputs are rounded for both sides). */
    public ParityChecks(Backend dev, boolean bf16) {
        this.dev = dev;
        this.bf16 = bf16;
        this.tolFwd = bf16 ? 2e-2 : 1e-5;
        this.tolBwd = bf16 ? 2e-2 : 5e-5;
    }

    public String mode() {
        return bf16 ? "bf16" : "fp32";
    }

    public List<Check> checks() {
        List<Check> c = new ArrayList<>();
        add(c, "upload/download", this::uploadDownload);
        add(c, "copy+convert", this::copyConvert);
        add(c, "zero", this::zero);
        add(c, "scale", this::scale);
        add(c, "add", this::add);
        add(c, "add (out aliases a)", this::addAliased);
        add(c, "sumSquares", this::sumSquares);
        add(c, "sumSquares (list)", this::sumSquaresList);
        add(c, "sumSquares (multi-tensor, mixed sizes and types)", this::sumSquaresMixed);
        add(c, "linear", () -> linear(false));
        add(c, "linear+bias", () -> linear(true));
        add(c, "linearBackward", this::linearBackward);
        add(c, "gemm batched (4 transposes)", this::gemmBatched);
        add(c, "embedding", this::embedding);
        add(c, "embeddingBackward", this::embeddingBackward);
        add(c, "rmsNorm D=96", () -> rmsNorm(33, 96));
        add(c, "rmsNorm D=1000", () -> rmsNorm(5, 1000));
        add(c, "rmsNormBackward D=96", () -> rmsNormBackward(33, 96));
        add(c, "rmsNormBackward D=1000", () -> rmsNormBackward(5, 1000));
        add(c, "rope", () -> rope(false));
        add(c, "ropeBackward", () -> rope(true));
        for (AttnCase a : ATTENTION_CASES) {
            add(c, "attention " + a.label, () -> attention(a, false));
            add(c, "attentionBackward " + a.label, () -> attention(a, true));
        }
        if (bf16) { // bf16 at hd 64/128 runs on tensor cores; the CUDA-core kernels stay its fallback (and a diagnosis)
            AttnCase hd128 = ATTENTION_CASES.get(1);
            add(c, "attention " + hd128.label + " (CUDA-core kernels)", () -> simt(() -> attention(hd128, false)));
            add(c, "attentionBackward " + hd128.label + " (CUDA-core kernels)", () -> simt(() -> attention(hd128, true)));
            for (AttnCase a : FA2_CASES) add(c, "attention fa2 " + a.label, () -> attentionFa2(a));
            for (Fa2BwdCase a : FA2_BWD_CASES) add(c, "attention fa2 bwd " + a.shape.label, () -> attentionFa2Backward(a));
        }
        add(c, "mma fragment layouts (tensor-core probe)", this::mmaProbe);
        add(c, "kvWrite", this::kvWrite);
        add(c, "gatherRows", this::gatherRows);
        add(c, "attentionDecode hd64 gqa2", () -> decode(4, 300, new int[] {0, 1, 300, 257}, 4, 2, 64));
        add(c, "attentionDecode hd128 mha", () -> decode(2, 40, new int[] {40, 17}, 8, 8, 128));
        add(c, "attentionDecode hd64 gqa12 (two blocks per kv head)", () -> decode(3, 600, new int[] {600, 257, 1}, 24, 2, 64));
        add(c, "graph replay of decode-like steps (same bits as eager)", this::graphReplay);
        add(c, "swiglu", this::swiglu);
        add(c, "swigluBackward", this::swigluBackward);
        // fused ops: as the CPU within tolerance, and bit for bit as the device's own unfused ops
        add(c, "addRmsNorm N=33 D=97", () -> addRmsNorm(33, 97, SumAlias.NONE));
        add(c, "addRmsNorm N=5 D=1000", () -> addRmsNorm(5, 1000, SumAlias.NONE));
        add(c, "addRmsNorm (sum aliases a)", () -> addRmsNorm(9, 97, SumAlias.A));
        add(c, "addRmsNorm (sum aliases b)", () -> addRmsNorm(9, 97, SumAlias.B));
        add(c, "rmsNormRope 20 tokens x 3 heads hd=48", () -> rmsNormRope(20, 3, 48));
        add(c, "rmsNormRope 7 tokens x 4 heads hd=128", () -> rmsNormRope(7, 4, 128));
        add(c, "rmsNormRope 1 token x 2 heads hd=96", () -> rmsNormRope(1, 2, 96));
        add(c, "kvWrite (keys and values)", this::kvWritePair);
        add(c, "lmHead", () -> lmHead(HEAD_DEFAULT, false));
        add(c, "lmHead small tiles", () -> lmHead(HEAD_SMALL, false));
        add(c, "lmHead wide chunks", () -> lmHead(HEAD_WIDE, false));
        add(c, "lmHead no-grad (same bits; backward recomputes)", this::lmHeadNoGrad);
        add(c, "lmHeadBackward", () -> lmHead(HEAD_DEFAULT, true));
        add(c, "lmHeadBackward small tiles", () -> lmHead(HEAD_SMALL, true));
        add(c, "logits", this::logits);
        add(c, "element-wise 8-wide and scalar paths (same bits)", this::vectorPaths);
        add(c, "adamw", this::adamw);
        add(c, "adamw (shadow copy)", this::adamwShadow);
        add(c, "adamw (multi-tensor)", this::adamwMulti);
        add(c, "zero (multi-tensor)", this::zeroMulti);
        add(c, "sample unfiltered (greedy, plain, min-p)", () -> sampleRandom(false));
        add(c, "sample top-k / top-p", () -> sampleRandom(true));
        add(c, "sample edge rows", this::sampleEdges);
        add(c, "deterministic attentionBackward", this::deterministicAttention);
        add(c, "deterministic lmHeadBackward", this::deterministicHead);
        add(c, "deterministic embeddingBackward", this::deterministicEmbedding);
        add(c, "deterministic sample", this::deterministicSample);
        return c;
    }

    private void add(List<Check> list, String name, java.util.function.Supplier<Result> body) {
        list.add(new Check(name, () -> {
            random = new SplittableRandom(name.hashCode());
            return body.get();
        }));
    }

    // ------------------------------------------------------------ inputs and comparison

    /** The same tensor on both backends. */
    private record Pair(Tensor c, Tensor d) {}

    private float[] rnd(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        return a;
    }

    private int[] ints(int n, int lo, int hi) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = random.nextInt(lo, hi);
        return a;
    }

    /** data on both sides in the storage type (rounded to bf16 for both in bf16 mode). */
    private Pair in(float[] data, int... shape) {
        float[] v = bf16 ? Bf16.roundAll(data) : data;
        Tensor c = cpu.zeros(shape), d = dev.zeros(shape);
        cpu.upload(c, v.clone());
        dev.upload(d, v);
        return new Pair(c, d);
    }

    /** data on both sides, fp32 on the device whatever the storage (lse, rstd, master weights, moments). */
    private Pair inF32(float[] data, int... shape) {
        Tensor c = cpu.zeros(shape), d = f32(shape);
        cpu.upload(c, data.clone());
        dev.upload(d, data);
        return new Pair(c, d);
    }

    private Pair out(int... shape) {
        return new Pair(cpu.zeros(shape), dev.zeros(shape));
    }

    private Pair outF32(int... shape) {
        return new Pair(cpu.zeros(shape), f32(shape));
    }

    private Tensor f32(int... shape) {
        return dev instanceof CudaBackend cb ? cb.zeros(DType.F32, shape) : dev.zeros(shape);
    }

    /** Accumulates the largest normalised error over several outputs. */
    private final class Compare {
        double worst;
        final StringBuilder detail = new StringBuilder();

        Compare arrays(String what, float[] d, float[] c) {
            if (d.length != c.length) throw new IllegalStateException(what + ": lengths " + d.length + " vs " + c.length);
            double maxRef = 0, maxDiff = 0;
            int at = -1;
            for (int i = 0; i < c.length; i++) {
                maxRef = Math.max(maxRef, Math.abs(c[i]));
                double diff = Math.abs((double) d[i] - c[i]);
                if (!(diff <= maxDiff)) { // NaN counts as the worst
                    maxDiff = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff;
                    at = i;
                }
            }
            double e = maxRef > 0 ? maxDiff / maxRef : maxDiff;
            worst = Math.max(worst, e);
            if (detail.length() > 0) detail.append("; ");
            detail.append(what).append(' ').append(String.format("%.2e", e));
            if (at >= 0 && e > 0) detail.append(String.format(" (at %d: %.6g vs %.6g)", at, d[at], c[at]));
            return this;
        }

        Compare tensor(String what, Pair p) {
            return arrays(what, dev.download(p.d), cpu.download(p.c));
        }

        Result result(String name, double tol) {
            return new Result(name, worst <= tol, worst, tol, detail.toString());
        }
    }

    private Compare cmp() {
        return new Compare();
    }

    private static Result exact(String name, boolean same, String detail) {
        return new Result(name, same, same ? 0 : Double.POSITIVE_INFINITY, 0, detail);
    }

    // ------------------------------------------------------------ memory and element-wise

    private Result uploadDownload() {
        Pair p = in(rnd(1001, 3), 7, 143);
        return cmp().tensor("roundtrip", p).result("upload/download", 0);
    }

    private Result copyConvert() {
        float[] data = rnd(999, 5);
        Tensor a = f32(999);
        dev.upload(a, data);
        Tensor b = dev.zeros(999);
        dev.copy(b, a); // fp32 -> storage type (a conversion in bf16 mode)
        Tensor c = f32(999);
        dev.copy(c, b); // and back
        boolean storedAsBf16 = dev instanceof CudaBackend cb && cb.options.storage() == DType.BF16;
        float[] expect = storedAsBf16 ? Bf16.roundAll(data) : data;
        return cmp().arrays("fp32->storage", dev.download(b), expect).arrays("storage->fp32", dev.download(c), expect)
                .result("copy+convert", 0);
    }

    private Result zero() {
        Pair p = in(rnd(777, 1), 777);
        dev.zero(p.d.rows(700)); // a prefix view: the tail must stay
        float[] expect = cpu.download(p.c);
        java.util.Arrays.fill(expect, 0, 700, 0f);
        return cmp().arrays("prefix zeroed, tail kept", dev.download(p.d), expect).result("zero", 0);
    }

    private Result scale() {
        Pair p = in(rnd(5000, 2), 5000);
        cpu.scale(p.c, 0.37f);
        dev.scale(p.d, 0.37f);
        return cmp().tensor("x", p).result("scale", tolFwd);
    }

    private Result add() {
        Pair a = in(rnd(3001, 2), 3001), b = in(rnd(3001, 2), 3001), o = out(3001);
        cpu.add(o.c, a.c, b.c);
        dev.add(o.d, a.d, b.d);
        return cmp().tensor("out", o).result("add", tolFwd);
    }

    private Result addAliased() {
        Pair a = in(rnd(3001, 2), 3001), b = in(rnd(3001, 2), 3001);
        cpu.add(a.c, a.c, b.c);
        dev.add(a.d, a.d, b.d);
        return cmp().tensor("a", a).result("add (out aliases a)", tolFwd);
    }

    private Result sumSquares() {
        Pair p = in(rnd(100_003, 1.5), 100_003);
        double c = cpu.sumSquares(p.c), d = dev.sumSquares(p.d);
        double e = Math.abs(d - c) / c;
        return new Result("sumSquares", e <= 1e-12, e, 1e-12, "cpu " + c + ", device " + d);
    }

    /** The batched form (one read for all): each entry as the CPU's, and bit for bit as the device's single call. */
    private Result sumSquaresList() {
        Pair a = in(rnd(100_003, 1.5), 100_003), b = in(rnd(7, 1), 7), c = in(rnd(5_000_000, 0.5), 5_000_000);
        Tensor empty = dev.zeros(0);
        java.util.List<Tensor> ts = java.util.List.of(a.d, b.d, empty, c.d);
        double[] d = dev.sumSquares(ts);
        double[] ref = {cpu.sumSquares(a.c), cpu.sumSquares(b.c), 0, cpu.sumSquares(c.c)};
        double worst = 0;
        boolean sameBits = true;
        for (int i = 0; i < ref.length; i++) {
            worst = Math.max(worst, ref[i] == 0 ? Math.abs(d[i]) : Math.abs(d[i] - ref[i]) / ref[i]);
            sameBits &= Double.doubleToLongBits(d[i]) == Double.doubleToLongBits(dev.sumSquares(ts.get(i)));
        }
        return new Result("sumSquares (list)", worst <= 1e-12 && sameBits, worst, 1e-12, java.util.Arrays.toString(d)
                + (sameBits ? "" : "; differs from the single-tensor calls"));
    }

    /** Tensor sizes of the multi-tensor checks: empty, one element, under a block, just past a chunk, many chunks. */
    private static final int[] MULTI_SIZES = {0, 1, 255, 4097, 300_000};

    /**
     * The multi-tensor form over every size in the storage type and in fp32 (bf16 inputs are rounded for
     * both sides, so only summation order differs from the CPU): each total as the CPU's, and bit for bit
     * as the device's single-tensor call.
     */
    private Result sumSquaresMixed() {
        List<Pair> ps = new ArrayList<>();
        for (int n : MULTI_SIZES) {
            ps.add(in(rnd(n, 1.5), n));
            ps.add(inF32(rnd(n, 0.5), n));
        }
        double[] d = dev.sumSquares(ps.stream().map(Pair::d).toList());
        double worst = 0;
        boolean sameBits = true;
        for (int i = 0; i < ps.size(); i++) {
            double ref = cpu.sumSquares(ps.get(i).c);
            worst = Math.max(worst, ref == 0 ? Math.abs(d[i]) : Math.abs(d[i] - ref) / ref);
            sameBits &= Double.doubleToRawLongBits(d[i]) == Double.doubleToRawLongBits(dev.sumSquares(ps.get(i).d));
        }
        return new Result("sumSquares (multi-tensor, mixed sizes and types)", worst <= 1e-12 && sameBits, worst, 1e-12,
                java.util.Arrays.toString(d) + (sameBits ? "" : "; differs from the single-tensor calls"));
    }

    // ------------------------------------------------------------ dense

    private Result linear(boolean withBias) {
        int n = 37, in = 70, outF = 45;
        Pair x = in(rnd(n * in, 1), n, in), w = in(rnd(outF * in, 0.2), outF, in), y = out(n, outF);
        Pair b = withBias ? in(rnd(outF, 1), outF) : null;
        cpu.linear(y.c, x.c, w.c, b == null ? null : b.c);
        dev.linear(y.d, x.d, w.d, b == null ? null : b.d);
        return cmp().tensor("y", y).result(withBias ? "linear+bias" : "linear", tolFwd);
    }

    private Result linearBackward() {
        int n = 37, in = 70, outF = 45;
        Pair x = in(rnd(n * in, 1), n, in), w = in(rnd(outF * in, 0.2), outF, in), dy = in(rnd(n * outF, 1), n, outF);
        Pair dx = in(rnd(n * in, 1), n, in), dw = in(rnd(outF * in, 1), outF, in), db = in(rnd(outF, 1), outF);
        cpu.linearBackward(dx.c, dw.c, db.c, dy.c, x.c, w.c);
        dev.linearBackward(dx.d, dw.d, db.d, dy.d, x.d, w.d);
        return cmp().tensor("dx", dx).tensor("dw", dw).tensor("dBias", db).result("linearBackward", tolBwd);
    }

    /** The internal strided-batched GEMM against the CPU reference, all four transpose pairs (CUDA only). */
    private Result gemmBatched() {
        if (!(dev instanceof CudaBackend cb)) return new Result("gemm batched (4 transposes)", true, 0, 0, "CUDA only: skipped");
        int M = 13, N = 11, K = 17, batch = 3;
        Compare cmp = cmp();
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = rnd(batch * M * K, 1), b = rnd(batch * K * N, 1), c = rnd(batch * M * N, 1);
                if (bf16) {
                    a = Bf16.roundAll(a);
                    b = Bf16.roundAll(b);
                    c = Bf16.roundAll(c);
                }
                int lda = ta ? M : K, ldb = tb ? K : N;
                float[] expect = c.clone();
                for (int i = 0; i < batch; i++) {
                    Gemm.reference(ta, tb, M, N, K, 0.5f, a, i * M * K, lda, b, i * K * N, ldb, 0.25f, expect, i * M * N, N);
                }
                CudaTensor A = cb.zeros(batch * M * K), B = cb.zeros(batch * K * N), C = cb.zeros(batch * M * N);
                cb.upload(A, a);
                cb.upload(B, b);
                cb.upload(C, c);
                cb.enter();
                cb.gemmBatched(ta, tb, M, N, K, 0.5f, CudaBackend.mat(A, 0, lda), (long) M * K, CudaBackend.mat(B, 0, ldb),
                        (long) K * N, 0.25f, CudaBackend.mat(C, 0, N), (long) M * N, batch);
                cmp.arrays((ta ? "T" : "N") + (tb ? "T" : "N"), cb.download(C), expect);
            }
        }
        return cmp.result("gemm batched (4 transposes)", tolFwd);
    }

    // ------------------------------------------------------------ embedding, norm, rope

    private Result embedding() {
        int V = 50, D = 40, N = 64;
        Pair table = in(rnd(V * D, 1), V, D), o = out(N, D);
        int[] ids = ints(N, 0, V);
        cpu.embedding(o.c, ids, table.c);
        dev.embedding(o.d, ids, table.d);
        return cmp().tensor("out", o).result("embedding", 0);
    }

    private Result embeddingBackward() {
        int V = 50, D = 40, N = 300;
        Pair dTable = in(rnd(V * D, 1), V, D), dOut = in(rnd(N * D, 1), N, D);
        int[] ids = ints(N, 0, V / 2); // repeats, and rows never touched
        cpu.embeddingBackward(dTable.c, ids, dOut.c);
        dev.embeddingBackward(dTable.d, ids, dOut.d);
        return cmp().tensor("dTable", dTable).result("embeddingBackward", bf16 ? tolFwd : 0);
    }

    private Result rmsNorm(int N, int D) {
        Pair x = in(rnd(N * D, 2), N, D), w = in(rnd(D, 1), D), o = out(N, D), rstd = outF32(N);
        cpu.rmsNorm(o.c, rstd.c, x.c, w.c, 1e-6f);
        dev.rmsNorm(o.d, rstd.d, x.d, w.d, 1e-6f);
        return cmp().tensor("out", o).tensor("rstd", rstd).result("rmsNorm D=" + D, tolFwd);
    }

    private Result rmsNormBackward(int N, int D) {
        Pair x = in(rnd(N * D, 2), N, D), w = in(rnd(D, 1), D), o = out(N, D), rstd = outF32(N);
        cpu.rmsNorm(o.c, rstd.c, x.c, w.c, 1e-6f);
        dev.rmsNorm(o.d, rstd.d, x.d, w.d, 1e-6f);
        Pair rs = inF32(cpu.download(rstd.c), N); // both backwards from the same rstd
        Pair g = in(rnd(N * D, 1), N, D), dx = in(rnd(N * D, 1), N, D), dw = in(rnd(D, 1), D);
        cpu.rmsNormBackward(dx.c, dw.c, g.c, x.c, w.c, rs.c);
        dev.rmsNormBackward(dx.d, dw.d, g.d, x.d, w.d, rs.d);
        return cmp().tensor("dx", dx).tensor("dw", dw).result("rmsNormBackward D=" + D, tolBwd);
    }

    private Result rope(boolean backward) {
        int N = 20, H = 3, hd = 64;
        Rope.Table table = Rope.table(128, hd, 10000.0, null);
        Pair x = in(rnd(N * H * hd, 1), N, H * hd);
        int[] pos = ints(N, 0, 128);
        if (backward) {
            cpu.ropeBackward(x.c, H, hd, pos, table);
            dev.ropeBackward(x.d, H, hd, pos, table);
        } else {
            cpu.rope(x.c, H, hd, pos, table);
            dev.rope(x.d, H, hd, pos, table);
        }
        return cmp().tensor("x", x).result(backward ? "ropeBackward" : "rope", tolFwd);
    }

    // ------------------------------------------------------------ fused ops

    /** The data on the device only, in the storage type (rounded as {@link #in} rounds it). */
    private Tensor devIn(float[] data, int... shape) {
        Tensor t = dev.zeros(shape);
        dev.upload(t, bf16 ? Bf16.roundAll(data) : data);
        return t;
    }

    /** r, failed unless every pair {name, bitDifferences(fused, unfused)} is null ("same bits as ..." in its detail). */
    private static Result bitwise(Result r, String unfused, String[]... differences) {
        StringBuilder bad = new StringBuilder();
        for (String[] d : differences) if (d[1] != null) bad.append("; ").append(d[0]).append(" differs from ").append(unfused).append(": ").append(d[1]);
        return new Result(r.name(), r.pass() && bad.isEmpty(), r.error(), r.tolerance(),
                r.detail() + (bad.isEmpty() ? "; same bits as " + unfused : bad));
    }

    private String[] bits(String what, Tensor fused, Tensor unfused) {
        return new String[] {what, bitDifferences(dev.download(fused), dev.download(unfused))};
    }

    /** Which input the sum of addRmsNorm is written over (the in-place residual update), if any. */
    private enum SumAlias { NONE, A, B }

    /**
     * addRmsNorm against the CPU and against the device's add then rmsNorm on copies of the same inputs (sum
     * in the storage type, so bf16 mode checks that the norm reads the rounded sum). The in-place variants
     * write the sum over a or b and keep rstd in the storage type, as the decoder does.
     */
    private Result addRmsNorm(int N, int D, SumAlias alias) {
        String name = switch (alias) {
            case NONE -> "addRmsNorm N=" + N + " D=" + D;
            case A -> "addRmsNorm (sum aliases a)";
            case B -> "addRmsNorm (sum aliases b)";
        };
        float[] a0 = rnd(N * D, 2), b0 = rnd(N * D, 1), w0 = rnd(D, 1);
        Pair a = in(a0, N, D), b = in(b0, N, D), w = in(w0, D), o = out(N, D);
        Pair rstd = alias == SumAlias.NONE ? outF32(N) : out(N);
        Pair sum = switch (alias) {
            case NONE -> out(N, D);
            case A -> a;
            case B -> b;
        };
        Tensor ua = devIn(a0, N, D), ub = devIn(b0, N, D), uo = dev.zeros(N, D);
        Tensor ur = alias == SumAlias.NONE ? f32(N) : dev.zeros(N);
        Tensor us = switch (alias) {
            case NONE -> dev.zeros(N, D);
            case A -> ua;
            case B -> ub;
        };
        cpu.addRmsNorm(sum.c, o.c, rstd.c, a.c, b.c, w.c, 1e-6f);
        dev.addRmsNorm(sum.d, o.d, rstd.d, a.d, b.d, w.d, 1e-6f);
        dev.add(us, ua, ub);
        dev.rmsNorm(uo, ur, us, w.d, 1e-6f);
        Result r = cmp().tensor("sum", sum).tensor("out", o).tensor("rstd", rstd).result(name, tolFwd);
        return bitwise(r, "add + rmsNorm", bits("sum", sum.d, us), bits("out", o.d, uo), bits("rstd", rstd.d, ur));
    }

    /**
     * rmsNormRope (q/k norm per head, then RoPE) against the CPU and against the device's rmsNorm then rope on
     * the same inputs; positions random (out of order, repeated). hd = 48 and 96 rotate pairs that two lanes
     * hold in a one-warp-per-row kernel; x must come out unchanged.
     */
    private Result rmsNormRope(int N, int H, int hd) {
        String name = "rmsNormRope " + N + (N == 1 ? " token x " : " tokens x ") + H + " heads hd=" + hd;
        Rope.Table table = Rope.table(128, hd, 10000.0, null);
        float[] x0 = rnd(N * H * hd, 2), w0 = rnd(hd, 1);
        Pair x = in(x0, N, H * hd), w = in(w0, hd), o = out(N, H * hd), rstd = outF32(N, H);
        int[] pos = ints(N, 0, 128);
        cpu.rmsNormRope(o.c, rstd.c, x.c, w.c, 1e-6f, H, hd, pos, table);
        dev.rmsNormRope(o.d, rstd.d, x.d, w.d, 1e-6f, H, hd, pos, table);
        Tensor uo = dev.zeros(N, H * hd), ur = f32(N, H);
        dev.rmsNorm(uo, ur, x.d, w.d, 1e-6f);
        dev.rope(uo, H, hd, pos, table);
        Result r = cmp().tensor("out", o).tensor("rstd", rstd).tensor("x (unchanged)", x).result(name, tolFwd);
        return bitwise(r, "rmsNorm + rope", bits("out", o.d, uo), bits("rstd", rstd.d, ur), bits("x", x.d, devIn(x0, N, H * hd)));
    }

    /**
     * The keys' and values' kvWrite in one call: exactly the CPU's, and the device's two calls, bit for bit;
     * rows wider than a block of threads, slots and positions out of order, sources with a row more than is written.
     */
    private Result kvWritePair() {
        int B = 3, maxT = 10, width = 300;
        float[] k0 = rnd(B * maxT * width, 1), v0 = rnd(B * maxT * width, 1);
        Pair ck = in(k0, B, maxT, width), cv = in(v0, B, maxT, width), k = in(rnd(6 * width, 1), 6, width), v = in(rnd(6 * width, 1), 6, width);
        int[] slot = {0, 2, 1, 2, 0}, pos = {0, 9, 3, 0, 1};
        cpu.kvWrite(ck.c, cv.c, k.c, v.c, slot, pos);
        dev.kvWrite(ck.d, cv.d, k.d, v.d, slot, pos);
        Tensor uk = devIn(k0, B, maxT, width), uv = devIn(v0, B, maxT, width);
        dev.kvWrite(uk, k.d, slot, pos);
        dev.kvWrite(uv, v.d, slot, pos);
        Result r = cmp().tensor("keys", ck).tensor("values", cv).result("kvWrite (keys and values)", 0);
        return bitwise(r, "two kvWrite calls", bits("keys", ck.d, uk), bits("values", cv.d, uv));
    }

    // ------------------------------------------------------------ attention

    private record AttnCase(String label, int[] seqStart, int hq, int hkv, int hd) {}

    /** Multi-tile and partial tiles, an empty sequence and an offset start, length-1 sequences, MQA, odd head dims. */
    private static final List<AttnCase> ATTENTION_CASES = List.of(
            new AttnCase("hd64 gqa2 3 seqs", new int[] {0, 5, 70, 200}, 4, 2, 64),
            new AttnCase("hd128 gqa4 offset+empty", new int[] {3, 3, 50, 180}, 8, 2, 128),
            new AttnCase("hd48 len1", new int[] {0, 1, 97}, 2, 1, 48),
            new AttnCase("hd96 gqa2", new int[] {0, 129}, 6, 3, 96),
            new AttnCase("hd200 mqa", new int[] {0, 40, 75}, 4, 1, 200),
            new AttnCase("hd256", new int[] {0, 90}, 2, 2, 256));

    private Result attention(AttnCase a, boolean backward) {
        int N = a.seqStart[a.seqStart.length - 1], hq = a.hq, hkv = a.hkv, hd = a.hd;
        float scale = (float) (1 / Math.sqrt(hd));
        Pair q = in(rnd(N * hq * hd, 1), N, hq * hd), k = in(rnd(N * hkv * hd, 1), N, hkv * hd), v = in(rnd(N * hkv * hd, 1), N, hkv * hd);
        Pair o = in(rnd(N * hq * hd, 1), N, hq * hd); // rows outside the sequences must keep these values
        Pair lse = inF32(rnd(N * hq, 1), N, hq);
        cpu.attention(o.c, lse.c, q.c, k.c, v.c, a.seqStart, hq, hkv, hd, scale);
        dev.attention(o.d, lse.d, q.d, k.d, v.d, a.seqStart, hq, hkv, hd, scale);
        String name = (backward ? "attentionBackward " : "attention ") + a.label;
        if (!backward) return cmp().tensor("out", o).tensor("lse", lse).result(name, tolFwd);
        // both backwards from the CPU's forward results, so only the backward is compared
        Pair o2 = in(cpu.download(o.c), N, hq * hd), lse2 = inF32(cpu.download(lse.c), N, hq);
        Pair dOut = in(rnd(N * hq * hd, 1), N, hq * hd);
        Pair dq = in(rnd(N * hq * hd, 1), N, hq * hd), dk = in(rnd(N * hkv * hd, 1), N, hkv * hd), dv = in(rnd(N * hkv * hd, 1), N, hkv * hd);
        cpu.attentionBackward(dq.c, dk.c, dv.c, dOut.c, o2.c, lse2.c, q.c, k.c, v.c, a.seqStart, hq, hkv, hd, scale);
        dev.attentionBackward(dq.d, dk.d, dv.d, dOut.d, o2.d, lse2.d, q.d, k.d, v.d, a.seqStart, hq, hkv, hd, scale);
        return cmp().tensor("dq", dq).tensor("dk", dk).tensor("dv", dv).result(name, tolBwd);
    }

    /** Query tiles of 256 rows over lengths that are not multiples of 256 or 64, length-1 sequences, GQA, an offset start. */
    private static final List<AttnCase> FA2_CASES = List.of(
            new AttnCase("hd64 gqa2 lengths 1, 299, 43, 128", new int[] {0, 1, 300, 343, 471}, 4, 2, 64),
            new AttnCase("hd128 gqa4 offset, lengths 1, 260, 36", new int[] {3, 4, 264, 300}, 8, 2, 128));

    /**
     * The fa2 tensor-core forward (-Drift.cuda.attention=fa2) against the CPU within the forward tolerance, and
     * against the default tensor-core forward on the same inputs bit for bit (out and lse, the rows outside
     * the sequences included): it promises the same operations per row, only a different schedule.
     */
    private Result attentionFa2(AttnCase a) {
        int N = a.seqStart[a.seqStart.length - 1], hq = a.hq, hkv = a.hkv, hd = a.hd;
        float scale = (float) (1 / Math.sqrt(hd));
        Pair q = in(rnd(N * hq * hd, 1), N, hq * hd), k = in(rnd(N * hkv * hd, 1), N, hkv * hd), v = in(rnd(N * hkv * hd, 1), N, hkv * hd);
        // out in fp32 whatever the storage, so that the bitwise comparison sees every bit of the accumulators and
        // not only what survives rounding to bf16; rows outside the sequences must keep these values
        float[] out0 = rnd(N * hq * hd, 1), lse0 = rnd(N * hq, 1);
        Pair o = inF32(out0, N, hq * hd), lse = inF32(lse0, N, hq);
        Tensor oDefault = f32(N, hq * hd), lseDefault = f32(N, hq);
        dev.upload(oDefault, out0);
        dev.upload(lseDefault, lse0);
        cpu.attention(o.c, lse.c, q.c, k.c, v.c, a.seqStart, hq, hkv, hd, scale);
        withAttentionKernels(null, () -> { // the default, even in a run that sets the property
            dev.attention(oDefault, lseDefault, q.d, k.d, v.d, a.seqStart, hq, hkv, hd, scale);
            return null;
        });
        withAttentionKernels("fa2", () -> {
            dev.attention(o.d, lse.d, q.d, k.d, v.d, a.seqStart, hq, hkv, hd, scale);
            return null;
        });
        String name = "attention fa2 " + a.label;
        Result vsCpu = cmp().tensor("out", o).tensor("lse", lse).result(name, tolFwd);
        String outBits = bitDifferences(dev.download(o.d), dev.download(oDefault)), lseBits = bitDifferences(dev.download(lse.d),
                dev.download(lseDefault));
        boolean same = outBits == null && lseBits == null;
        String vsDefault = same ? "bitwise equal to the default tensor-core forward"
                : "differs from the default tensor-core forward: out " + (outBits == null ? "equal" : outBits) + ", lse "
                        + (lseBits == null ? "equal" : lseBits);
        return new Result(name, vsCpu.pass() && same, vsCpu.error(), vsCpu.tolerance(), vsCpu.detail() + "; " + vsDefault);
    }

    /** A backward case for the fa2 backward kernels; bf16Lse stores lse in bf16 (the kernels' other lse path). */
    private record Fa2BwdCase(AttnCase shape, boolean bf16Lse) {}

    /**
     * Every branch of the fa2 backward kernels: ragged lengths (1, 43: shorter than a tile; 299, 300: not multiples
     * of 64, 128 or 256) so query tiles of 256 rows see up to 5 key tiles and key tiles of 128 keys up to 5 query
     * passes per head (both double buffers wrap), GQA groups 1, 2 and 3 (an odd number of passes per head flips the
     * buffer parity at the change of query head), an offset start, hd 64 and 128, lse in fp32 and bf16.
     */
    private static final List<Fa2BwdCase> FA2_BWD_CASES = List.of(
            new Fa2BwdCase(new AttnCase("hd64 gqa2 lengths 1, 299, 43, 200", new int[] {0, 1, 300, 343, 543}, 4, 2, 64), false),
            new Fa2BwdCase(new AttnCase("hd128 mha offset, lengths 70, 190, bf16 lse", new int[] {5, 75, 265}, 2, 2, 128), true),
            new Fa2BwdCase(new AttnCase("hd128 gqa3 lengths 300, 1, 129", new int[] {0, 300, 301, 430}, 6, 2, 128), false));

    /**
     * The fa2 backward kernels (-Drift.cuda.attention=fa2bwd) against the CPU within the backward tolerance, and
     * against the default tensor-core backward on the same inputs bit for bit (dq, dk, dv, the rows outside the
     * sequences included): they promise the same operations per element, only a different schedule. The gradients
     * are fp32 whatever the storage (so every accumulator bit counts) and start from random values (the passes add).
     */
    private Result attentionFa2Backward(Fa2BwdCase c) {
        AttnCase a = c.shape;
        int N = a.seqStart[a.seqStart.length - 1], hq = a.hq, hkv = a.hkv, hd = a.hd;
        float scale = (float) (1 / Math.sqrt(hd));
        Pair q = in(rnd(N * hq * hd, 1), N, hq * hd), k = in(rnd(N * hkv * hd, 1), N, hkv * hd), v = in(rnd(N * hkv * hd, 1), N, hkv * hd);
        // the CPU's forward results feed both backwards, so only the backward is compared
        Tensor o0 = cpu.zeros(N, hq * hd), lse0 = cpu.zeros(N, hq);
        cpu.attention(o0, lse0, q.c, k.c, v.c, a.seqStart, hq, hkv, hd, scale);
        Pair o = in(cpu.download(o0), N, hq * hd);
        Pair lse = c.bf16Lse ? in(cpu.download(lse0), N, hq) : inF32(cpu.download(lse0), N, hq);
        Pair dOut = in(rnd(N * hq * hd, 1), N, hq * hd);
        float[] dq0 = rnd(N * hq * hd, 1), dk0 = rnd(N * hkv * hd, 1), dv0 = rnd(N * hkv * hd, 1);
        Pair dq = inF32(dq0, N, hq * hd), dk = inF32(dk0, N, hkv * hd), dv = inF32(dv0, N, hkv * hd);
        Tensor dqDefault = f32(N, hq * hd), dkDefault = f32(N, hkv * hd), dvDefault = f32(N, hkv * hd);
        dev.upload(dqDefault, dq0);
        dev.upload(dkDefault, dk0);
        dev.upload(dvDefault, dv0);
        cpu.attentionBackward(dq.c, dk.c, dv.c, dOut.c, o.c, lse.c, q.c, k.c, v.c, a.seqStart, hq, hkv, hd, scale);
        withAttentionKernels(null, () -> { // the default, even in a run that sets the property
            dev.attentionBackward(dqDefault, dkDefault, dvDefault, dOut.d, o.d, lse.d, q.d, k.d, v.d, a.seqStart, hq, hkv, hd, scale);
            return null;
        });
        withAttentionKernels("fa2bwd", () -> {
            dev.attentionBackward(dq.d, dk.d, dv.d, dOut.d, o.d, lse.d, q.d, k.d, v.d, a.seqStart, hq, hkv, hd, scale);
            return null;
        });
        String name = "attention fa2 bwd " + a.label;
        Result vsCpu = cmp().tensor("dq", dq).tensor("dk", dk).tensor("dv", dv).result(name, tolBwd);
        String dqBits = bitDifferences(dev.download(dq.d), dev.download(dqDefault));
        String dkBits = bitDifferences(dev.download(dk.d), dev.download(dkDefault));
        String dvBits = bitDifferences(dev.download(dv.d), dev.download(dvDefault));
        boolean same = dqBits == null && dkBits == null && dvBits == null;
        String vsDefault = same ? "bitwise equal to the default tensor-core backward"
                : "differs from the default tensor-core backward: dq " + (dqBits == null ? "equal" : dqBits) + ", dk "
                        + (dkBits == null ? "equal" : dkBits) + ", dv " + (dvBits == null ? "equal" : dvBits);
        return new Result(name, vsCpu.pass() && same, vsCpu.error(), vsCpu.tolerance(), vsCpu.detail() + "; " + vsDefault);
    }

    /** null when a and b hold the same bits, else how many values differ and the first. */
    private static String bitDifferences(float[] a, float[] b) {
        if (a.length != b.length) return "lengths " + a.length + " vs " + b.length;
        int count = 0, first = -1;
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                if (count++ == 0) first = i;
            }
        }
        return count == 0 ? null : String.format("%d values (first at %d: %s vs %s)", count, first, a[first], b[first]);
    }

    /**
     * The tensor cores' fragment layouts as attention_tc.cuh assumes them (rift_mma_probe), against a product
     * of the same bf16 values on the host (exact products, 16-term sums in double): plain per-lane loads,
     * ldmatrix + ldmatrix.trans, and ldmatrix from a transposed B.
     */
    private Result mmaProbe() {
        if (!(dev instanceof CudaBackend cb)) return new Result("mma fragment layouts (tensor-core probe)", true, 0, 0, "not a CUDA backend");
        float[] a = Bf16.roundAll(rnd(256, 1)), b = Bf16.roundAll(rnd(128, 1));
        double[] ref = new double[128];
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 8; j++) {
                double s = 0;
                for (int k = 0; k < 16; k++) s += (double) a[i * 16 + k] * b[k * 8 + j];
                ref[i * 8 + j] = s;
            }
        Tensor ta = cb.zeros(DType.BF16, 16, 16), tb = cb.zeros(DType.BF16, 16, 8), td = cb.zeros(DType.F32, 16, 8);
        cb.upload(ta, a);
        cb.upload(tb, b);
        double worst = 0;
        StringBuilder detail = new StringBuilder();
        for (int mode = 0; mode < 3; mode++) {
            cb.zero(td);
            cb.launch(Kernels.MMA_PROBE, 1, 1, 0, ((CudaTensor) td).address(), ((CudaTensor) ta).address(), ((CudaTensor) tb).address(), mode);
            float[] d = cb.download(td);
            double e = 0;
            for (int i = 0; i < 128; i++) e = Math.max(e, Math.abs(d[i] - ref[i]) / Math.max(1, Math.abs(ref[i])));
            worst = Math.max(worst, e);
            detail.append(mode == 0 ? "per-lane loads " : mode == 1 ? "; ldmatrix(.trans) " : "; ldmatrix of B^T ").append(String.format("%.1e", e));
        }
        return new Result("mma fragment layouts (tensor-core probe)", worst <= 1e-5, worst, 1e-5, detail.toString());
    }

    /** Runs a check with -Drift.cuda.attention=simt (the fp32 CUDA-core attention kernels), naming it so. */
    private static Result simt(java.util.function.Supplier<Result> check) {
        Result r = withAttentionKernels("simt", check);
        return new Result(r.name() + " (CUDA-core kernels)", r.pass(), r.error(), r.tolerance(), r.detail());
    }

    /** Runs body with -Drift.cuda.attention=kernels (unset: null), restoring the property after. */
    private static <T> T withAttentionKernels(String kernels, java.util.function.Supplier<T> body) {
        String old = System.getProperty("rift.cuda.attention");
        if (kernels == null) System.clearProperty("rift.cuda.attention");
        else System.setProperty("rift.cuda.attention", kernels);
        try {
            return body.get();
        } finally {
            if (old == null) System.clearProperty("rift.cuda.attention");
            else System.setProperty("rift.cuda.attention", old);
        }
    }

    private Result kvWrite() {
        int B = 3, maxT = 10, width = 24;
        Pair cache = in(rnd(B * maxT * width, 1), B, maxT, width), src = in(rnd(5 * width, 1), 5, width);
        int[] slot = {0, 2, 1, 2, 0}, pos = {0, 9, 3, 0, 1};
        cpu.kvWrite(cache.c, src.c, slot, pos);
        dev.kvWrite(cache.d, src.d, slot, pos);
        return cmp().tensor("cache", cache).result("kvWrite", 0);
    }

    private Result gatherRows() {
        Pair src = in(rnd(10 * 24, 1), 10, 24), dst = in(rnd(6 * 24, 1), 6, 24);
        int[] rows = {3, 0, 9, 3};
        cpu.gatherRows(dst.c, src.c, rows);
        dev.gatherRows(dst.d, src.d, rows);
        return cmp().tensor("dst", dst).result("gatherRows", 0);
    }

    private Result decode(int B, int maxT, int[] lengths, int hq, int hkv, int hd) {
        float scale = (float) (1 / Math.sqrt(hd));
        Pair q = in(rnd(B * hq * hd, 1), B, hq * hd), o = in(rnd(B * hq * hd, 1), B, hq * hd);
        Pair kc = in(rnd(B * maxT * hkv * hd, 1), B, maxT, hkv * hd), vc = in(rnd(B * maxT * hkv * hd, 1), B, maxT, hkv * hd);
        cpu.attentionDecode(o.c, q.c, kc.c, vc.c, lengths, hq, hkv, hd, scale);
        dev.attentionDecode(o.d, q.d, kc.d, vc.d, lengths, hq, hkv, hd, scale);
        return cmp().tensor("out", o).result("attentionDecode hd" + hd, tolFwd);
    }

    /**
     * A decode-like step (linear to q, RoPE at each slot's position, the keys' and values' cache writes, decode
     * attention over each slot's length) run 6 times eagerly and 6 times through Backend.repeatable with CUDA
     * graphs on (recorded at the first step, replayed with new positions, lengths and inputs): the outputs must
     * be the same bits at every step, and the graph must really have been recorded and replayed (a refused
     * capture falls back to running the ops, which repeatable allows, but then this GPU cannot use graphs: the
     * check fails and says why).
     */
    private Result graphReplay() {
        String name = "graph replay of decode-like steps (same bits as eager)";
        if (!(dev instanceof CudaBackend cb)) return new Result(name, true, 0, 0, "not a CUDA backend");
        int B = 3, maxT = 16, hq = 4, hkv = 2, hd = 64, D = hq * hd, KV = hkv * hd;
        float scale = (float) (1 / Math.sqrt(hd));
        Rope.Table table = Rope.table(maxT, hd, 10000.0, null);
        Tensor w = in(rnd(D * D, 0.1), D, D).d, x = in(rnd(B * D, 1), B, D).d, k = in(rnd(B * KV, 1), B, KV).d, v = in(rnd(B * KV, 1), B, KV).d;
        Tensor[] q = {dev.zeros(B, D), dev.zeros(B, D)}, out = {dev.zeros(B, D), dev.zeros(B, D)};
        Tensor[] kc = {dev.zeros(B, maxT, KV), dev.zeros(B, maxT, KV)}, vc = {dev.zeros(B, maxT, KV), dev.zeros(B, maxT, KV)};
        int[] slots = {0, 1, 2};
        Object key = new Object();
        String mismatch = null, status;
        cb.useGraphs(true);
        try {
            for (int step = 0; step < 6 && mismatch == null; step++) {
                int[] pos = {step, step + 3, 2 * step}, len = {step + 1, step + 4, 2 * step + 1};
                dev.upload(x, rnd(B * D, 1));
                dev.upload(k, rnd(B * KV, 1));
                dev.upload(v, rnd(B * KV, 1));
                for (int path = 1; path >= 0; path--) { // the replay first, so that the eager run cannot stage its index arrays for it
                    int p = path;
                    Runnable ops = () -> {
                        dev.linear(q[p], x, w, null);
                        dev.rope(q[p], hq, hd, pos, table);
                        dev.kvWrite(kc[p], vc[p], k, v, slots, pos);
                        dev.attentionDecode(out[p], q[p], kc[p], vc[p], len, hq, hkv, hd, scale);
                    };
                    if (path == 0) ops.run();
                    else dev.repeatable(key, ops);
                }
                String diff = bitDifferences(dev.download(out[0]), dev.download(out[1]));
                if (diff != null) mismatch = "step " + step + ": " + diff;
            }
        } finally {
            status = cb.graphStatus();
            cb.useGraphs(CudaGraphs.enabledByProperty());
        }
        boolean replayed = status.startsWith("on: 1 captured, 6 replayed");
        boolean pass = mismatch == null && replayed;
        return new Result(name, pass, pass ? 0 : 1, 0, (mismatch == null ? "6 steps equal bit for bit" : "replay differs at " + mismatch)
                + "; graphs " + status);
    }

    private Result swiglu() {
        Pair g = in(rnd(4099, 4), 4099), u = in(rnd(4099, 2), 4099), o = out(4099);
        cpu.swiglu(o.c, g.c, u.c);
        dev.swiglu(o.d, g.d, u.d);
        return cmp().tensor("out", o).result("swiglu", tolFwd);
    }

    private Result swigluBackward() {
        Pair g = in(rnd(4099, 4), 4099), u = in(rnd(4099, 2), 4099), dOut = in(rnd(4099, 1), 4099);
        Pair dg = in(rnd(4099, 1), 4099), du = in(rnd(4099, 1), 4099);
        cpu.swigluBackward(dg.c, du.c, dOut.c, g.c, u.c);
        dev.swigluBackward(dg.d, du.d, dOut.d, g.d, u.d);
        return cmp().tensor("dGate", dg).tensor("dUp", du).result("swigluBackward", tolFwd);
    }

    // ------------------------------------------------------------ LM head

    private static final int HEAD_DEFAULT = 0, HEAD_SMALL = 1, HEAD_WIDE = 2;

    private Result lmHead(int tiles, boolean backward) {
        // V = 1002: one block row per 1002 floats (not 16-byte aligned: the fold's scalar path); small tiles
        // cut chunks of 384 (aligned: its float4 path) and a last one of 234; wide chunks of 4400 floats reach
        // the float4 path's several-loads-in-flight loop (4 x 256 float4 per round) and its tail, then 600
        boolean smallTiles = tiles == HEAD_SMALL;
        int N = tiles == HEAD_WIDE ? 21 : 37, D = tiles == HEAD_WIDE ? 32 : 64, V = tiles == HEAD_WIDE ? 5000 : 1002;
        String name = (backward ? "lmHeadBackward" : "lmHead") + (smallTiles ? " small tiles" : tiles == HEAD_WIDE ? " wide chunks" : "");
        int[] saveTiles = null;
        if (dev instanceof CudaBackend cb && tiles != HEAD_DEFAULT) {
            saveTiles = new int[] {cb.headRowTile, cb.headVocabChunk};
            cb.headRowTile = smallTiles ? 16 : 8;
            cb.headVocabChunk = smallTiles ? 384 : 4400;
            if (smallTiles) cb.headKeepLogitsBytes = 0; // and the backward recomputes every block (the default tiles keep them)
        }
        try {
            Pair h = in(rnd(N * D, 2), N, D), normW = in(rnd(D, 1), D), w = in(rnd(V * D, 0.5), V, D);
            int[] targets = ints(N, 0, V);
            targets[3] = -1;
            targets[20] = -1;
            targets[N - 1] = V - 1;
            Backend.HeadResult rc = cpu.lmHead(h.c, normW.c, 1e-6f, w.c, targets, true, true);
            Backend.HeadResult rd = dev.lmHead(h.d, normW.d, 1e-6f, w.d, targets, true, true);
            if (!backward) {
                Compare cmp = cmp().arrays("logp", rd.logp(), rc.logp()).arrays("entropy", rd.entropy(), rc.entropy());
                int off = 0, far = 0;
                for (int n = 0; n < N; n++) {
                    int diff = Math.abs(rd.rank()[n] - rc.rank()[n]);
                    if (diff != 0) off++;
                    if (diff > 1) far++;
                }
                // ranks: a near-tie between the target and another logit may flip by one (different GEMM
                // summation orders); allow that for at most 2 rows in fp32, ranks are not compared in bf16
                boolean rankOk = bf16 || (far == 0 && off <= 2);
                Result r = cmp.result(name, tolFwd);
                return new Result(name, r.pass() && rankOk, r.error(), r.tolerance(), r.detail() + "; ranks off " + off + " (by >1: " + far + ")");
            }
            float[] dLogp = rnd(N, 1), dEnt = smallTiles ? rnd(N, 0.5) : null;
            Pair dh = in(rnd(N * D, 1), N, D), dNormW = in(rnd(D, 1), D), dW = in(rnd(V * D, 1), V, D);
            cpu.lmHeadBackward(dh.c, dNormW.c, dW.c, dLogp, dEnt, rc, h.c, normW.c, w.c, targets);
            dev.lmHeadBackward(dh.d, dNormW.d, dW.d, dLogp, dEnt, rd, h.d, normW.d, w.d, targets);
            return cmp().tensor("dh", dh).tensor("dNormW", dNormW).tensor("dW", dW).result(name, tolBwd);
        } finally {
            if (saveTiles != null) {
                CudaBackend cb = (CudaBackend) dev;
                cb.headRowTile = saveTiles[0];
                cb.headVocabChunk = saveTiles[1];
                cb.headKeepLogitsBytes = 4L << 30;
            }
        }
    }

    /**
     * lmHeadNoGrad gives lmHead's results bit for bit without keeping the logits, leaves the logits an
     * earlier lmHead kept valid, and its result still serves a backward (which then recomputes every block):
     * the gradients equal, bit for bit, those of the backward that reads the kept blocks, and the CPU's
     * within the backward tolerance.
     */
    private Result lmHeadNoGrad() {
        int N = 37, D = 64, V = 1002;
        String name = "lmHead no-grad";
        Pair h = in(rnd(N * D, 2), N, D), normW = in(rnd(D, 1), D), w = in(rnd(V * D, 0.5), V, D);
        int[] targets = ints(N, 0, V);
        targets[5] = -1;
        Backend.HeadResult rd = dev.lmHead(h.d, normW.d, 1e-6f, w.d, targets, true, true);
        Backend.HeadResult rn = dev.lmHeadNoGrad(h.d, normW.d, 1e-6f, w.d, targets, true, true);
        StringBuilder bad = new StringBuilder();
        String lp = bitDifferences(rn.logp(), rd.logp()), ent = bitDifferences(rn.entropy(), rd.entropy());
        if (lp != null) bad.append("; logp differs from lmHead's: ").append(lp);
        if (ent != null) bad.append("; entropy differs from lmHead's: ").append(ent);
        if (!Arrays.equals(rn.rank(), rd.rank())) bad.append("; ranks differ from lmHead's");
        if (dev instanceof CudaBackend cb && rd instanceof CudaLmHead.Saved kept && rn instanceof CudaLmHead.Saved none) {
            if (none.keptGeneration != 0) bad.append("; the no-grad forward kept its logits");
            if (kept.keptGeneration != cb.headKeptGeneration) bad.append("; the no-grad forward made lmHead's kept logits stale");
        }
        float[] dLogp = rnd(N, 1), dEnt = rnd(N, 0.5);
        Pair dh = in(rnd(N * D, 1), N, D), dNormW = in(rnd(D, 1), D), dW = in(rnd(V * D, 1), V, D);
        Tensor dhN = in(dev.download(dh.d), N, D).d, dNormWN = in(dev.download(dNormW.d), D).d, dWN = in(dev.download(dW.d), V, D).d;
        Backend.HeadResult rc = cpu.lmHead(h.c, normW.c, 1e-6f, w.c, targets, true, true);
        cpu.lmHeadBackward(dh.c, dNormW.c, dW.c, dLogp, dEnt, rc, h.c, normW.c, w.c, targets);
        dev.lmHeadBackward(dh.d, dNormW.d, dW.d, dLogp, dEnt, rd, h.d, normW.d, w.d, targets);   // reads the kept blocks
        dev.lmHeadBackward(dhN, dNormWN, dWN, dLogp, dEnt, rn, h.d, normW.d, w.d, targets);      // recomputes them
        for (String[] d : new String[][] {{"dh", bitDifferences(dev.download(dhN), dev.download(dh.d))},
                {"dNormW", bitDifferences(dev.download(dNormWN), dev.download(dNormW.d))}, {"dW", bitDifferences(dev.download(dWN), dev.download(dW.d))}}) {
            if (d[1] != null) bad.append("; ").append(d[0]).append(" from the no-grad result differs: ").append(d[1]);
        }
        Result r = cmp().tensor("dh", dh).tensor("dNormW", dNormW).tensor("dW", dW).result(name, tolBwd);
        return new Result(name, r.pass() && bad.isEmpty(), r.error(), r.tolerance(), r.detail() + (bad.isEmpty() ? "; bitwise equal to lmHead, kept and recomputed" : bad));
    }

    private Result logits() {
        int B = 5, D = 64, V = 1000;
        Pair h = in(rnd(B * D, 2), B, D), normW = in(rnd(D, 1), D), w = in(rnd(V * D, 0.5), V, D), o = outF32(B, V);
        cpu.logits(o.c, h.c, normW.c, 1e-6f, w.c);
        dev.logits(o.d, h.d, normW.d, 1e-6f, w.d);
        return cmp().tensor("logits", o).result("logits", tolFwd);
    }

    /**
     * The streaming element-wise kernels (convert, add, scale, SwiGLU forward and backward, AdamW with a shadow,
     * RoPE forward and backward) take 8 elements per access when every pointer is 16-byte aligned and one at a time otherwise: the same
     * inputs, once in fresh (aligned) tensors and once in tensors starting one element into an allocation,
     * must give the same bits. n = 8 k + 5 reaches the aligned run's scalar tail too.
     */
    private Result vectorPaths() {
        if (!(dev instanceof CudaBackend cb)) return new Result("element-wise 8-wide and scalar paths (same bits)", true, 0, 0, "not a CUDA backend");
        int n = 8 * 517 + 5;
        DType st = bf16 ? DType.BF16 : DType.F32;
        float[] a = rnd(n, 2), b = rnd(n, 2), d = rnd(n, 1), m0 = rnd(n, 1e-2), v0 = rnd(n, 1e-3);
        for (int i = 0; i < n; i++) v0[i] = Math.abs(v0[i]);
        Rope.Table ropeTable = Rope.table(128, 32, 10000.0, null);
        StringBuilder bad = new StringBuilder();
        float[][] results = new float[2][];
        List<CudaTensor> allocations = new ArrayList<>(); // the slices' allocations stay reachable while they are used
        for (int misaligned = 0; misaligned < 2; misaligned++) {
            boolean off = misaligned == 1;
            java.util.function.BiFunction<DType, float[], CudaTensor> make = (t, data) -> {
                CudaTensor x = off ? offsetTensor(cb, t, n, allocations) : cb.zeros(t, n);
                cb.upload(x, data);
                return x;
            };
            CudaTensor ta = make.apply(st, a), tb = make.apply(st, b), td = make.apply(st, d);
            CudaTensor sum = make.apply(st, new float[n]), act = make.apply(st, new float[n]), conv = make.apply(st == DType.F32 ? DType.BF16 : DType.F32, new float[n]);
            CudaTensor dg = make.apply(st, b), du = make.apply(st, a);
            CudaTensor p = make.apply(DType.F32, a), g = make.apply(st, d), m = make.apply(DType.F32, m0), v = make.apply(DType.F32, v0);
            CudaTensor shadow = make.apply(DType.BF16, new float[n]);
            cb.add(sum, ta, tb);
            cb.scale(sum, 0.75f);
            cb.swiglu(act, ta, tb);
            cb.swigluBackward(dg, du, td, ta, tb);
            cb.copy(conv, sum);
            cb.adamw(p, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 3, 0.5f, shadow);
            // RoPE over rows of 3 heads x 32 (pairs 16 apart: two groups of 8 per head) at positions out of order
            int ropeRows = n / 96;
            int[] pos = new int[ropeRows];
            for (int r = 0; r < ropeRows; r++) pos[r] = (r * 37) % 120;
            CudaTensor rot = make.apply(st, a).view(ropeRows, 96), back = make.apply(st, b).view(ropeRows, 96);
            cb.rope(rot, 3, 32, pos, ropeTable);
            cb.ropeBackward(back, 3, 32, pos, ropeTable);
            float[] all = new float[10 * n];
            CudaTensor[] outs = {sum, act, dg, du, conv, p, m, shadow, rot, back};
            for (int k = 0; k < outs.length; k++) {
                float[] got = cb.download(outs[k]);
                System.arraycopy(got, 0, all, k * n, got.length);
            }
            results[misaligned] = all;
            java.lang.ref.Reference.reachabilityFence(allocations);
        }
        String[] names = {"add + scale", "swiglu", "dGate", "dUp", "convert", "adamw p", "adamw m", "adamw shadow", "rope", "ropeBackward"};
        for (int k = 0; k < names.length; k++) {
            String diff = bitDifferences(Arrays.copyOfRange(results[0], k * n, (k + 1) * n), Arrays.copyOfRange(results[1], k * n, (k + 1) * n));
            if (diff != null) bad.append("; ").append(names[k]).append(": ").append(diff);
        }
        String name = "element-wise 8-wide and scalar paths (same bits)";
        return new Result(name, bad.isEmpty(), bad.isEmpty() ? 0 : 1, 0, bad.isEmpty() ? "aligned (8-wide + tail) and misaligned (scalar) runs equal bit for bit" : bad.substring(2));
    }

    /** A tensor of n elements starting one element into a fresh allocation: no pointer into it is 16-byte aligned. */
    private static CudaTensor offsetTensor(CudaBackend cb, DType t, int n, List<CudaTensor> allocations) {
        CudaTensor base = cb.zeros(t, n + 1);
        allocations.add(base);
        return new CudaTensor(cb, cb.dev.slice(base.memory, t.bytes(), (long) n * t.bytes()), t, n);
    }

    // ------------------------------------------------------------ optimizer

    private Result adamw() {
        int n = 4099;
        float[] v0 = rnd(n, 1e-3);
        for (int i = 0; i < n; i++) v0[i] = Math.abs(v0[i]);
        Pair p = inF32(rnd(n, 1), n), m = inF32(rnd(n, 1e-2), n), v = inF32(v0, n), g = in(rnd(n, 1), n);
        cpu.adamw(p.c, g.c, m.c, v.c, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 3, 0.5f);
        dev.adamw(p.d, g.d, m.d, v.d, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 3, 0.5f);
        return cmp().tensor("p", p).tensor("m", m).tensor("v", v).result("adamw", 1e-6);
    }

    /**
     * AdamW writing the model's copy too (fp32 masters, storage-type weights): the copy must equal the
     * device's own conversion of its updated master bit for bit, and the CPU's update within the storage's
     * rounding.
     */
    private Result adamwShadow() {
        int n = 4099;
        float[] v0 = rnd(n, 1e-3);
        for (int i = 0; i < n; i++) v0[i] = Math.abs(v0[i]);
        Pair p = inF32(rnd(n, 1), n), m = inF32(rnd(n, 1e-2), n), v = inF32(v0, n), g = in(rnd(n, 1), n);
        Pair shadow = out(n);
        cpu.adamw(p.c, g.c, m.c, v.c, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 3, 0.5f, shadow.c);
        dev.adamw(p.d, g.d, m.d, v.d, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 3, 0.5f, shadow.d);
        Tensor converted = dev.zeros(n);
        dev.copy(converted, p.d);
        boolean same = java.util.Arrays.equals(dev.download(converted), dev.download(shadow.d));
        Result r = cmp().tensor("p", p).tensor("shadow", shadow).result("adamw (shadow copy)", tolFwd);
        return new Result(r.name(), r.pass() && same, r.error(), r.tolerance(), r.detail() + (same ? "" : "; shadow differs from copy(p)"));
    }

    /** One tensor of the multi-tensor AdamW check: its size, whether p is stored in bf16, a shadow, its weight decay. */
    private record AdamWCase(int n, boolean bf16Param, boolean shadow, float weightDecay) {}

    /** Every size with and without decay; fp32 masters with and without a shadow, and bf16 parameters. */
    private static final List<AdamWCase> ADAMW_CASES = List.of(new AdamWCase(300_000, false, true, 0.1f),
            new AdamWCase(4097, true, false, 0.1f), new AdamWCase(255, false, false, 0f), new AdamWCase(1, false, true, 0f),
            new AdamWCase(0, false, true, 0.1f), new AdamWCase(300_000, true, false, 0f), new AdamWCase(4097, false, true, 0f),
            new AdamWCase(255, true, false, 0.1f), new AdamWCase(1, true, false, 0.1f), new AdamWCase(0, true, false, 0f),
            new AdamWCase(4097, false, false, 0.1f), new AdamWCase(255, false, true, 0.1f));

    /** The state of one AdamW tensor on one side (shadow null when the case has none). */
    private record AdamWState(Tensor p, Tensor g, Tensor m, Tensor v, Tensor shadow) {
        Backend.AdamWSlot slot(float weightDecay) {
            return new Backend.AdamWSlot(p, g, m, v, shadow, weightDecay);
        }
    }

    /**
     * AdamW over many tensors in one call, three steps (the learning rate changes once, so the device's
     * tensor table is both rewritten and reused): every output bit for bit as one device call per tensor,
     * and as the CPU within the adamw tolerance (fp32 outputs) or bf16's (outputs stored in bf16).
     */
    /** Backend.zero(List): every listed tensor all zeros (fp32 and storage type, sizes with 2-byte tails), a bystander intact. */
    private Result zeroMulti() {
        int[] sizes = {0, 1, 3, 4097, 300000, 70001};
        List<Tensor> listed = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            for (boolean storage : new boolean[] {false, true}) {
                Tensor t = storage && bf16 ? bf16Tensor(sizes[i]) : f32(sizes[i]);
                dev.upload(t, rnd(sizes[i], 1));
                listed.add(t);
            }
        }
        float[] keep = rnd(5000, 1);
        Tensor bystander = f32(5000);
        dev.upload(bystander, keep);
        dev.zero(listed);
        int nonZero = 0;
        for (Tensor t : listed) for (float x : dev.download(t)) if (Float.floatToRawIntBits(x) != 0) nonZero++;
        boolean intact = sameBits(dev.download(bystander), keep);
        return exact("zero (multi-tensor)", nonZero == 0 && intact, listed.size() + " tensors: " + nonZero + " values not +0"
                + (intact ? "" : "; a tensor not in the list changed"));
    }

    private Result adamwMulti() {
        List<AdamWState> cpuState = new ArrayList<>(), single = new ArrayList<>(), multi = new ArrayList<>();
        for (AdamWCase k : ADAMW_CASES) {
            float[] p0 = rnd(k.n, 1), g0 = rnd(k.n, 1), m0 = rnd(k.n, 1e-2), v0 = rnd(k.n, 1e-3);
            for (int i = 0; i < k.n; i++) v0[i] = Math.abs(v0[i]);
            if (bf16) g0 = Bf16.roundAll(g0); // gradients are storage-type tensors: both sides see the same values
            if (k.bf16Param) p0 = Bf16.roundAll(p0);
            cpuState.add(adamwState(cpu, cpu.zeros(k.n), p0, g0, m0, v0, k.shadow));
            single.add(adamwState(dev, k.bf16Param ? bf16Tensor(k.n) : f32(k.n), p0, g0, m0, v0, k.shadow));
            multi.add(adamwState(dev, k.bf16Param ? bf16Tensor(k.n) : f32(k.n), p0, g0, m0, v0, k.shadow));
        }
        float[] lrs = {1e-3f, 2e-3f, 2e-3f};
        for (int step = 1; step <= lrs.length; step++) {
            float lr = lrs[step - 1], scale = step == 1 ? 0.5f : 1f;
            List<Backend.AdamWSlot> cpuSlots = new ArrayList<>(), multiSlots = new ArrayList<>();
            for (int i = 0; i < ADAMW_CASES.size(); i++) {
                float wd = ADAMW_CASES.get(i).weightDecay;
                AdamWState s = single.get(i);
                dev.adamw(s.p, s.g, s.m, s.v, lr, 0.9f, 0.999f, 1e-8f, wd, step, scale, s.shadow);
                cpuSlots.add(cpuState.get(i).slot(wd));
                multiSlots.add(multi.get(i).slot(wd));
            }
            cpu.adamw(cpuSlots, lr, 0.9f, 0.999f, 1e-8f, step, scale);
            dev.adamw(multiSlots, lr, 0.9f, 0.999f, 1e-8f, step, scale);
        }
        Compare fp32Out = cmp(), bf16Out = cmp();
        StringBuilder differs = new StringBuilder();
        for (int i = 0; i < ADAMW_CASES.size(); i++) {
            AdamWState c = cpuState.get(i), s = single.get(i), m = multi.get(i);
            String at = "#" + i + " n=" + ADAMW_CASES.get(i).n + " ";
            Tensor[][] outputs = {{c.p, s.p, m.p}, {c.m, s.m, m.m}, {c.v, s.v, m.v}, {c.shadow, s.shadow, m.shadow}};
            String[] names = {"p", "m", "v", "shadow"};
            for (int o = 0; o < outputs.length; o++) {
                Tensor[] t = outputs[o];
                if (t[0] == null) continue;
                float[] got = dev.download(t[2]);
                if (!sameBits(got, dev.download(t[1]))) differs.append(' ').append(at).append(names[o]);
                (storesBf16(t[2]) ? bf16Out : fp32Out).arrays(at + names[o], got, cpu.download(t[0]));
            }
        }
        boolean pass = fp32Out.worst <= 1e-6 && bf16Out.worst <= 2e-2 && differs.isEmpty();
        String detail = pass // 40-odd outputs: name them only when something is off
                ? String.format("fp32 outputs %.2e, bf16 outputs %.2e (tolerance 2e-2); same bits as the single-tensor calls",
                        fp32Out.worst, bf16Out.worst)
                : "fp32 outputs: " + fp32Out.detail + "; bf16 outputs (tolerance 2e-2): " + bf16Out.detail
                        + (differs.isEmpty() ? "" : "; differs from the single-tensor calls:" + differs);
        return new Result("adamw (multi-tensor)", pass, fp32Out.worst, 1e-6, detail);
    }

    /** One AdamW tensor set on backend b with p in the given tensor, fp32 moments and a storage-type gradient and shadow. */
    private static AdamWState adamwState(Backend b, Tensor p, float[] p0, float[] g0, float[] m0, float[] v0, boolean shadow) {
        int n = p0.length;
        Tensor g = b.zeros(n), m = b.zerosF32(n), v = b.zerosF32(n);
        b.upload(p, p0.clone());
        b.upload(g, g0.clone());
        b.upload(m, m0.clone());
        b.upload(v, v0.clone());
        return new AdamWState(p, g, m, v, shadow ? b.zeros(n) : null);
    }

    /** A bf16 tensor on the device under test whatever its storage type (a CPU stand-in stores fp32). */
    private Tensor bf16Tensor(int... shape) {
        return dev instanceof CudaBackend cb ? cb.zeros(DType.BF16, shape) : dev.zeros(shape);
    }

    private static boolean storesBf16(Tensor t) {
        return t instanceof CudaTensor ct && ct.dtype() == DType.BF16;
    }

    private static boolean sameBits(float[] a, float[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) return false;
        return true;
    }

    // ------------------------------------------------------------ sampling (see SamplingParity)

    /** Random logit rows: a spread of values plus a few spikes, so filters cut at varied places. */
    private float[] logitRows(int rows, int v) {
        float[] l = rnd(rows * v, 6);
        for (int r = 0; r < rows; r++) for (int s = 0; s < 5; s++) l[r * v + random.nextInt(v)] += (float) (4 + 6 * random.nextDouble());
        return l;
    }

    private Result sampleRandom(boolean ordered) {
        String name = ordered ? "sample top-k / top-p" : "sample unfiltered (greedy, plain, min-p)";
        int rows = 5, v = 3001;
        Pair logits = in(logitRows(rows, v), rows, v);
        SamplingParity.Tally t = new SamplingParity.Tally();
        for (rift.kernels.SamplingParams p : SamplingParity.MIXES) {
            if ((p.topK() > 0 || p.topP() < 1f) != ordered) continue;
            for (int candidates : new int[] {v, v - 111}) {
                SamplingParity.compare(t, p + " c" + candidates, cpu, logits.c, dev, logits.d, candidates, p,
                        SamplingParity.uniforms(random, rows));
            }
        }
        return t.result(name);
    }

    private Result sampleEdges() {
        int rows = 8;
        SamplingParity.Tally t = new SamplingParity.Tally();
        for (int v : new int[] {37, 703}) {
            Pair logits = in(SamplingParity.edgeRows(rows, v, random), rows, v);
            for (rift.kernels.SamplingParams p : SamplingParity.MIXES) {
                for (int candidates : SamplingParity.edgeCandidates(v)) {
                    SamplingParity.compare(t, p + " v" + v + " c" + candidates, cpu, logits.c, dev, logits.d, candidates, p,
                            SamplingParity.edgeUniforms(rows, random));
                }
            }
        }
        return t.result("sample edge rows");
    }

    private Result deterministicSample() {
        int rows = 4, v = 2000;
        Tensor logits = devIn(logitRows(rows, v)).view(rows, v);
        double[] u = SamplingParity.uniforms(random, rows);
        rift.kernels.SamplingParams p = new rift.kernels.SamplingParams(0.9f, 30, 0.9f, 0.01f);
        Backend.Picks a = dev.sample(logits, v, p, u), b = dev.sample(logits, v, p, u);
        boolean same = java.util.Arrays.equals(a.tokens(), b.tokens()) && java.util.Arrays.equals(a.logp(), b.logp());
        return exact("deterministic sample", same, "two runs, tokens and log-probs bitwise");
    }

    // ------------------------------------------------------------ determinism (device against itself)

    private Result deterministicAttention() {
        AttnCase a = ATTENTION_CASES.get(0);
        int N = a.seqStart[a.seqStart.length - 1];
        float scale = 0.125f;
        Tensor q = devIn(rnd(N * a.hq * a.hd, 1)), k = devIn(rnd(N * a.hkv * a.hd, 1)), v = devIn(rnd(N * a.hkv * a.hd, 1));
        Tensor o = dev.zeros(N, a.hq * a.hd), lse = f32(N, a.hq), dOut = devIn(rnd(N * a.hq * a.hd, 1));
        dev.attention(o, lse, q, k, v, a.seqStart, a.hq, a.hkv, a.hd, scale);
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            Tensor dq = dev.zeros(N, a.hq * a.hd), dk = dev.zeros(N, a.hkv * a.hd), dv = dev.zeros(N, a.hkv * a.hd);
            dev.attentionBackward(dq, dk, dv, dOut, o, lse, q, k, v, a.seqStart, a.hq, a.hkv, a.hd, scale);
            runs[r] = concat(concat(dev.download(dq), dev.download(dk)), dev.download(dv));
        }
        return exact("deterministic attentionBackward", java.util.Arrays.equals(runs[0], runs[1]), "two runs, dq dk dv bitwise");
    }

    private Result deterministicHead() {
        int N = 37, D = 64, V = 1000;
        Tensor h = devIn(rnd(N * D, 2)).view(N, D), normW = devIn(rnd(D, 1)), w = devIn(rnd(V * D, 0.5)).view(V, D);
        int[] targets = ints(N, 0, V);
        float[] dLogp = rnd(N, 1), dEnt = rnd(N, 1);
        // run 0 and 1: as configured (the CUDA backend keeps the forward's logits for the backward); run 2: the
        // backward recomputes them (no keep budget); run 3: a second forward in between makes the first's kept
        // logits stale, so its backward must recompute too. All four must agree bit for bit.
        float[][] runs = new float[4][];
        Tensor other = devIn(rnd(N * D, 2)).view(N, D);
        for (int r = 0; r < 4; r++) {
            long budget = dev instanceof CudaBackend cb ? cb.headKeepLogitsBytes : 0;
            if (r == 2 && dev instanceof CudaBackend cb) cb.headKeepLogitsBytes = 0;
            try {
                Backend.HeadResult res = dev.lmHead(h, normW, 1e-6f, w, targets, true, false);
                if (r == 3) dev.lmHead(other, normW, 1e-6f, w, targets, true, false); // other logits in the kept buffer
                Tensor dh = dev.zeros(N, D), dn = dev.zeros(D), dW = dev.zeros(V, D);
                dev.lmHeadBackward(dh, dn, dW, dLogp, dEnt, res, h, normW, w, targets);
                runs[r] = concat(concat(concat(res.logp(), dev.download(dh)), dev.download(dn)), dev.download(dW));
            } finally {
                if (dev instanceof CudaBackend cb) cb.headKeepLogitsBytes = budget;
            }
        }
        boolean same = true;
        for (int r = 1; r < 4; r++) same &= java.util.Arrays.equals(runs[0], runs[r]);
        return exact("deterministic lmHeadBackward", same, "two runs, a recomputing run and a run after another forward: logp dh dNormW dW bitwise");
    }

    private Result deterministicEmbedding() {
        int V = 64, D = 48, N = 1000;
        Tensor dOut = devIn(rnd(N * D, 1)).view(N, D);
        int[] ids = ints(N, 0, 8);
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            Tensor t = dev.zeros(V, D);
            dev.embeddingBackward(t, ids, dOut);
            runs[r] = dev.download(t);
        }
        return exact("deterministic embeddingBackward", java.util.Arrays.equals(runs[0], runs[1]), "two runs bitwise");
    }

    private Tensor devIn(float[] data) {
        Tensor t = dev.zeros(data.length);
        dev.upload(t, data);
        return t;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

}
