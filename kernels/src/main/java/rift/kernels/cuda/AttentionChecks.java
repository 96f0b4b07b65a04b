package rift.kernels.cuda;

import java.util.List;
import rift.kernels.Tensor;
import rift.kernels.cuda.ParityChecks.Result;

/**
 * Parity of prefill attention: forward and backward over ragged sequences, GQA, MQA and odd head dims; in
 * bf16 the fa2 tensor-core forward and backward, which must also equal the default tensor-core kernels bit
 * for bit; and the tensor cores' fragment layouts (the mma probe). Also how a check picks the attention
 * kernels (the rift.cuda.attention property), which ParityChecks uses for the CUDA-core variants.
 */
final class AttentionChecks extends ParityCheckGroup {
    AttentionChecks(ParityChecks suite) {
        super(suite);
    }

    record AttnCase(String label, int[] seqStart, int hq, int hkv, int hd) {}

    /** Multi-tile and partial tiles, an empty sequence and an offset start, length-1 sequences, MQA, odd head dims. */
    static final List<AttnCase> ATTENTION_CASES = List.of(
            new AttnCase("hd64 gqa2 3 seqs", new int[] {0, 5, 70, 200}, 4, 2, 64),
            new AttnCase("hd128 gqa4 offset+empty", new int[] {3, 3, 50, 180}, 8, 2, 128),
            new AttnCase("hd48 len1", new int[] {0, 1, 97}, 2, 1, 48),
            new AttnCase("hd96 gqa2", new int[] {0, 129}, 6, 3, 96),
            new AttnCase("hd200 mqa", new int[] {0, 40, 75}, 4, 1, 200),
            new AttnCase("hd256", new int[] {0, 90}, 2, 2, 256));

    Result attention(AttnCase a, boolean backward) {
        int N = a.seqStart[a.seqStart.length - 1], hq = a.hq, hkv = a.hkv, hd = a.hd;
        float scale = (float) (1 / Math.sqrt(hd));
        Pair q = in(rnd(N * hq * hd, 1), N, hq * hd), k = in(rnd(N * hkv * hd, 1), N, hkv * hd), v = in(rnd(N * hkv * hd, 1), N, hkv * hd);
        Pair o = in(rnd(N * hq * hd, 1), N, hq * hd); // rows outside the sequences must keep these values
        Pair lse = inF32(rnd(N * hq, 1), N, hq);
        cpu.attention(o.c(), lse.c(), q.c(), k.c(), v.c(), a.seqStart, hq, hkv, hd, scale);
        dev.attention(o.d(), lse.d(), q.d(), k.d(), v.d(), a.seqStart, hq, hkv, hd, scale);
        String name = (backward ? "attentionBackward " : "attention ") + a.label;
        if (!backward) return cmp().tensor("out", o).tensor("lse", lse).result(name, tolFwd);
        // both backwards from the CPU's forward results, so only the backward is compared
        Pair o2 = in(cpu.download(o.c()), N, hq * hd), lse2 = inF32(cpu.download(lse.c()), N, hq);
        Pair dOut = in(rnd(N * hq * hd, 1), N, hq * hd);
        Pair dq = in(rnd(N * hq * hd, 1), N, hq * hd), dk = in(rnd(N * hkv * hd, 1), N, hkv * hd), dv = in(rnd(N * hkv * hd, 1), N, hkv * hd);
        cpu.attentionBackward(dq.c(), dk.c(), dv.c(), dOut.c(), o2.c(), lse2.c(), q.c(), k.c(), v.c(), a.seqStart, hq, hkv, hd, scale);
        dev.attentionBackward(dq.d(), dk.d(), dv.d(), dOut.d(), o2.d(), lse2.d(), q.d(), k.d(), v.d(), a.seqStart, hq, hkv, hd, scale);
        return cmp().tensor("dq", dq).tensor("dk", dk).tensor("dv", dv).result(name, tolBwd);
    }

    /** Query tiles of 256 rows over lengths that are not multiples of 256 or 64, length-1 sequences, GQA, an offset start. */
    static final List<AttnCase> FA2_CASES = List.of(
            new AttnCase("hd64 gqa2 lengths 1, 299, 43, 128", new int[] {0, 1, 300, 343, 471}, 4, 2, 64),
            new AttnCase("hd128 gqa4 offset, lengths 1, 260, 36", new int[] {3, 4, 264, 300}, 8, 2, 128));

    /**
     * The fa2 tensor-core forward (-Drift.cuda.attention=fa2) against the CPU within the forward tolerance, and
     * against the default tensor-core forward on the same inputs bit for bit (out and lse, the rows outside
     * the sequences included): it promises the same operations per row, only a different schedule.
     */
    Result attentionFa2(AttnCase a) {
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
        cpu.attention(o.c(), lse.c(), q.c(), k.c(), v.c(), a.seqStart, hq, hkv, hd, scale);
        withAttentionKernels(null, () -> { // the default, even in a run that sets the property
            dev.attention(oDefault, lseDefault, q.d(), k.d(), v.d(), a.seqStart, hq, hkv, hd, scale);
            return null;
        });
        withAttentionKernels("fa2", () -> {
            dev.attention(o.d(), lse.d(), q.d(), k.d(), v.d(), a.seqStart, hq, hkv, hd, scale);
            return null;
        });
        String name = "attention fa2 " + a.label;
        Result vsCpu = cmp().tensor("out", o).tensor("lse", lse).result(name, tolFwd);
        String outBits = bitDifferences(dev.download(o.d()), dev.download(oDefault)), lseBits = bitDifferences(dev.download(lse.d()),
                dev.download(lseDefault));
        boolean same = outBits == null && lseBits == null;
        String vsDefault = same ? "bitwise equal to the default tensor-core forward"
                : "differs from the default tensor-core forward: out " + (outBits == null ? "equal" : outBits) + ", lse "
                        + (lseBits == null ? "equal" : lseBits);
        return new Result(name, vsCpu.pass() && same, vsCpu.error(), vsCpu.tolerance(), vsCpu.detail() + "; " + vsDefault);
    }

    /** A backward case for the fa2 backward kernels; bf16Lse stores lse in bf16 (the kernels' other lse path). */
    record Fa2BwdCase(AttnCase shape, boolean bf16Lse) {}

    /**
     * Every branch of the fa2 backward kernels: ragged lengths (1, 43: shorter than a tile; 299, 300: not multiples
     * of 64, 128 or 256) so query tiles of 256 rows see up to 5 key tiles and key tiles of 128 keys up to 5 query
     * passes per head (both double buffers wrap), GQA groups 1, 2 and 3 (an odd number of passes per head flips the
     * buffer parity at the change of query head), an offset start, hd 64 and 128, lse in fp32 and bf16.
     */
    static final List<Fa2BwdCase> FA2_BWD_CASES = List.of(
            new Fa2BwdCase(new AttnCase("hd64 gqa2 lengths 1, 299, 43, 200", new int[] {0, 1, 300, 343, 543}, 4, 2, 64), false),
            new Fa2BwdCase(new AttnCase("hd128 mha offset, lengths 70, 190, bf16 lse", new int[] {5, 75, 265}, 2, 2, 128), true),
            new Fa2BwdCase(new AttnCase("hd128 gqa3 lengths 300, 1, 129", new int[] {0, 300, 301, 430}, 6, 2, 128), false));

    /**
     * The fa2 backward kernels (-Drift.cuda.attention=fa2bwd) against the CPU within the backward tolerance, and
     * against the default tensor-core backward on the same inputs bit for bit (dq, dk, dv, the rows outside the
     * sequences included): they promise the same operations per element, only a different schedule. The gradients
     * are fp32 whatever the storage (so every accumulator bit counts) and start from random values (the passes add).
     */
    Result attentionFa2Backward(Fa2BwdCase c) {
        AttnCase a = c.shape;
        int N = a.seqStart[a.seqStart.length - 1], hq = a.hq, hkv = a.hkv, hd = a.hd;
        float scale = (float) (1 / Math.sqrt(hd));
        Pair q = in(rnd(N * hq * hd, 1), N, hq * hd), k = in(rnd(N * hkv * hd, 1), N, hkv * hd), v = in(rnd(N * hkv * hd, 1), N, hkv * hd);
        // the CPU's forward results feed both backwards, so only the backward is compared
        Tensor o0 = cpu.zeros(N, hq * hd), lse0 = cpu.zeros(N, hq);
        cpu.attention(o0, lse0, q.c(), k.c(), v.c(), a.seqStart, hq, hkv, hd, scale);
        Pair o = in(cpu.download(o0), N, hq * hd);
        Pair lse = c.bf16Lse ? in(cpu.download(lse0), N, hq) : inF32(cpu.download(lse0), N, hq);
        Pair dOut = in(rnd(N * hq * hd, 1), N, hq * hd);
        float[] dq0 = rnd(N * hq * hd, 1), dk0 = rnd(N * hkv * hd, 1), dv0 = rnd(N * hkv * hd, 1);
        Pair dq = inF32(dq0, N, hq * hd), dk = inF32(dk0, N, hkv * hd), dv = inF32(dv0, N, hkv * hd);
        Tensor dqDefault = f32(N, hq * hd), dkDefault = f32(N, hkv * hd), dvDefault = f32(N, hkv * hd);
        dev.upload(dqDefault, dq0);
        dev.upload(dkDefault, dk0);
        dev.upload(dvDefault, dv0);
        cpu.attentionBackward(dq.c(), dk.c(), dv.c(), dOut.c(), o.c(), lse.c(), q.c(), k.c(), v.c(), a.seqStart, hq, hkv, hd, scale);
        withAttentionKernels(null, () -> { // the default, even in a run that sets the property
            dev.attentionBackward(dqDefault, dkDefault, dvDefault, dOut.d(), o.d(), lse.d(), q.d(), k.d(), v.d(), a.seqStart, hq, hkv, hd, scale);
            return null;
        });
        withAttentionKernels("fa2bwd", () -> {
            dev.attentionBackward(dq.d(), dk.d(), dv.d(), dOut.d(), o.d(), lse.d(), q.d(), k.d(), v.d(), a.seqStart, hq, hkv, hd, scale);
            return null;
        });
        String name = "attention fa2 bwd " + a.label;
        Result vsCpu = cmp().tensor("dq", dq).tensor("dk", dk).tensor("dv", dv).result(name, tolBwd);
        String dqBits = bitDifferences(dev.download(dq.d()), dev.download(dqDefault));
        String dkBits = bitDifferences(dev.download(dk.d()), dev.download(dkDefault));
        String dvBits = bitDifferences(dev.download(dv.d()), dev.download(dvDefault));
        boolean same = dqBits == null && dkBits == null && dvBits == null;
        String vsDefault = same ? "bitwise equal to the default tensor-core backward"
                : "differs from the default tensor-core backward: dq " + (dqBits == null ? "equal" : dqBits) + ", dk "
                        + (dkBits == null ? "equal" : dkBits) + ", dv " + (dvBits == null ? "equal" : dvBits);
        if (dev instanceof CudaBackend cb && !CudaAttention.fits(cb, AttentionPlan.backwardDqFa2(hd))) { // say when nothing was compared
            vsDefault += " (this GPU's shared memory is too small for the fa2 dQ pass: the tc dQ pass ran in its place)";
        }
        return new Result(name, vsCpu.pass() && same, vsCpu.error(), vsCpu.tolerance(), vsCpu.detail() + "; " + vsDefault);
    }

    /**
     * The tensor cores' fragment layouts as attention_tc.cuh assumes them (rift_mma_probe), against a product
     * of the same bf16 values on the host (exact products, 16-term sums in double): plain per-lane loads,
     * ldmatrix + ldmatrix.trans, and ldmatrix from a transposed B.
     */
    Result mmaProbe() {
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
    static Result simt(java.util.function.Supplier<Result> check) {
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
}
