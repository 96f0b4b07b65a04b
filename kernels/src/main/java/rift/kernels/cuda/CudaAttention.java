package rift.kernels.cuda;

import static rift.kernels.cuda.CudaBackend.need;

/**
 * Host side of causal GQA attention over packed sequences on the GPU (kernels in attention.cuh):
 * shape checks as the CPU backend does them, the tile lists, and the launches. Forward: one block per
 * (query tile, query head). Backward (FA2): D = rowsum(dO * O), then a dQ pass over query tiles and a
 * dK/dV pass over key tiles per (key tile, kv head) that owns its rows, so no atomics anywhere. bf16
 * inputs with head dimension 64 or 128 run on tensor cores (attention_tc.cuh); -Drift.cuda.attention=simt
 * forces the fp32 CUDA-core kernels (attention.cuh) for comparisons. The opt-in fa2 tensor-core schedules give
 * the same results bit for bit: -Drift.cuda.attention=fa2 picks the fa2 forward (attention_tc.cuh) and the fa2
 * backward passes (attention_fa2_bwd.cuh), fa2fwd only the forward, fa2bwd only the backward
 * (AttentionPlan.kernelChoice).
 */
final class CudaAttention {
    private CudaAttention() {}

    static void forward(CudaBackend be, CudaTensor out, CudaTensor lse, CudaTensor q, CudaTensor k, CudaTensor v, int[] seqStart,
                        int hq, int hkv, int hd, float scale) {
        int N = AttentionPlan.checkShapes(seqStart, hq, hkv, hd);
        need(out, N, hq, hd, "out");
        need(lse, N, hq, 1, "lse");
        need(q, N, hq, hd, "q");
        need(k, N, hkv, hd, "k");
        need(v, N, hkv, hd, "v");
        boolean tc = AttentionPlan.tensorCores(hd, bf16(q, k, v), q.address(), k.address(), v.address());
        AttentionPlan.Config cfg = !tc ? AttentionPlan.forward(hd) : AttentionPlan.fa2Forward() ? AttentionPlan.forwardFa2(hd)
                : AttentionPlan.forwardTc(hd);
        int[] tiles = AttentionPlan.heaviestFirst(AttentionPlan.tiles(seqStart, cfg.bq()), cfg.bq());
        if (tiles.length == 0) return;
        Gpu.Memory t = be.ints("attention.tiles", tiles, tiles.length);
        be.launch(cfg.kernel(), tiles.length / 3, hq, cfg.sharedBytes(), out.address(), out.dtype().flag(), lse.address(),
                lse.dtype().flag(), q.address(), q.dtype().flag(), k.address(), k.dtype().flag(), v.address(), v.dtype().flag(),
                t.address, hq, hkv, hd, scale);
    }

    static void backward(CudaBackend be, CudaTensor dq, CudaTensor dk, CudaTensor dv, CudaTensor dOut, CudaTensor out,
                         CudaTensor lse, CudaTensor q, CudaTensor k, CudaTensor v, int[] seqStart, int hq, int hkv, int hd,
                         float scale) {
        int N = AttentionPlan.checkShapes(seqStart, hq, hkv, hd);
        need(dOut, N, hq, hd, "dOut");
        need(out, N, hq, hd, "out");
        need(lse, N, hq, 1, "lse");
        need(q, N, hq, hd, "q");
        need(k, N, hkv, hd, "k");
        need(v, N, hkv, hd, "v");
        if (dq != null) need(dq, N, hq, hd, "dq");
        if (dk != null) need(dk, N, hkv, hd, "dk");
        if (dv != null) need(dv, N, hkv, hd, "dv");
        int n0 = seqStart[0];
        if (N == n0) return;
        boolean tc = AttentionPlan.tensorCores(hd, bf16(q, k, v, dOut), q.address(), k.address(), v.address(), dOut.address());
        Gpu.Memory rowDot = be.scratch("attention.D", 4L * N * hq);
        long items = (long) (N - n0) * hq;
        be.launch(Kernels.ATTN_ROWDOT, Math.toIntExact((items + 7) / 8), 1, 0, rowDot.address, dOut.address(), dOut.dtype().flag(),
                out.address(), out.dtype().flag(), n0, N, hq, hd);
        boolean fa2 = tc && AttentionPlan.fa2Backward();
        if (dq != null) {
            AttentionPlan.Config cfg = !tc ? AttentionPlan.backwardDq(hd)
                    : fa2 && fits(be, AttentionPlan.backwardDqFa2(hd)) ? AttentionPlan.backwardDqFa2(hd) : AttentionPlan.backwardDqTc(hd);
            int[] tiles = AttentionPlan.heaviestFirst(AttentionPlan.tiles(seqStart, cfg.bq()), cfg.bq());
            Gpu.Memory t = be.ints("attention.dqTiles", tiles, tiles.length);
            be.launch(cfg.kernel(), tiles.length / 3, hq, cfg.sharedBytes(), dq.address(), dq.dtype().flag(), dOut.address(),
                    dOut.dtype().flag(), rowDot.address, lse.address(), lse.dtype().flag(), q.address(), q.dtype().flag(),
                    k.address(), k.dtype().flag(), v.address(), v.dtype().flag(), t.address, hq, hkv, hd, scale);
        }
        if (dk != null || dv != null) {
            AttentionPlan.Config cfg = !tc ? AttentionPlan.backwardDkDv(hd)
                    : fa2 && fits(be, AttentionPlan.backwardDkDvFa2(hd)) ? AttentionPlan.backwardDkDvFa2(hd) : AttentionPlan.backwardDkDvTc(hd);
            int[] tiles = AttentionPlan.heaviestKeyTilesFirst(AttentionPlan.tiles(seqStart, cfg.bk()));
            Gpu.Memory t = be.ints("attention.kvTiles", tiles, tiles.length);
            be.launch(cfg.kernel(), tiles.length / 3, hkv, cfg.sharedBytes(), dk == null ? null : dk.address(),
                    dk == null ? 0 : dk.dtype().flag(), dv == null ? null : dv.address(), dv == null ? 0 : dv.dtype().flag(),
                    dOut.address(), dOut.dtype().flag(), rowDot.address, lse.address(), lse.dtype().flag(), q.address(),
                    q.dtype().flag(), k.address(), k.dtype().flag(), v.address(), v.dtype().flag(), t.address, hq, hkv, hd, scale);
        }
    }

    /**
     * Whether a kernel's shared memory fits one block of this GPU (the fa2 dQ pass at hd 128 needs 206 KB: an H100
     * or H200 gives 227, an A100 163). Where it does not, the tc pass serves instead: same results, bit for bit.
     * A GPU stand-in (the emulator) has no such limit.
     */
    static boolean fits(CudaBackend be, AttentionPlan.Config cfg) {
        return !(be.dev instanceof CudaDevice d) || cfg.sharedBytes() <= d.sharedOptin;
    }

    private static boolean bf16(CudaTensor... ts) {
        for (CudaTensor t : ts) if (t.dtype() != DType.BF16) return false;
        return true;
    }

    /** Query heads one decode block serves (RIFT_DECODE_HEADS in attention.cuh). */
    static final int DECODE_HEADS = 8;

    /** One decode step: q, out [B, hq * hd]; caches [B, maxT, hkv * hd]; slot b sees its first lengths[b] rows. */
    static void decode(CudaBackend be, CudaTensor out, CudaTensor q, CudaTensor kCache, CudaTensor vCache, int[] lengths, int hq,
                       int hkv, int hd, float scale) {
        if (hq < 1 || hkv < 1 || hq % hkv != 0) throw new IllegalArgumentException("Hq (" + hq + ") must be a multiple of Hkv (" + hkv + ")");
        AttentionPlan.checkHeadDim(hd);
        int B = lengths.length, maxT = kCache.dim(1);
        for (int b = 0; b < B; b++) {
            if (lengths[b] < 0 || lengths[b] > maxT) {
                throw new IllegalArgumentException("lengths[" + b + "] = " + lengths[b] + " must be in [0, maxT = " + maxT + "]");
            }
        }
        need(out, B, hq, hd, "out");
        need(q, B, hq, hd, "q");
        need(kCache, (long) B * maxT, hkv, hd, "kCache");
        need(vCache, (long) B * maxT, hkv, hd, "vCache");
        if (B == 0) return;
        Gpu.Memory len = be.ints("decode.lengths", lengths, B);
        int group = hq / hkv, parts = (group + DECODE_HEADS - 1) / DECODE_HEADS; // a block: up to 8 query heads of one kv head
        be.launch(Kernels.ATTN_DECODE, B, hkv * parts, 0, out.address(), out.dtype().flag(), q.address(), q.dtype().flag(), kCache.address(),
                kCache.dtype().flag(), vCache.address(), vCache.dtype().flag(), len.address, maxT, hq, hkv, hd, scale);
    }
}
