package rift.kernels.cuda;

import java.util.List;
import rift.kernels.Backend.AdamWSlot;
import rift.kernels.Tensor;

/**
 * The optimizer's ops over a whole model's tensors in one launch each. A training step updates hundreds
 * of tensors, many of them tiny norm weights, and a launch costs more host time than such a tensor's
 * work; so the tensors are described in a small table (uploaded to a scratch buffer, skipped when it has
 * not changed) and each block finds its tensor there (elementwise.cuh: slotOfBlock). Every element gets
 * the same float operations, in the same order, as the single-tensor kernels, so the bits are the same.
 */
final class CudaMultiTensor {
    private CudaMultiTensor() {}

    /** Elements per block of the multi-tensor AdamW: 16 per thread, enough to amortise the table lookup. */
    static final int ADAMW_CHUNK = 16 * CudaBackend.THREADS; // a multiple of 8: the kernel's 8-wide accesses start on it
    /** Ints per AdamwSlot / SumsqSlot (elementwise.cuh; its static_asserts pin the sizes). */
    private static final int ADAMW_SLOT_INTS = 16, SUMSQ_SLOT_INTS = 10;
    /** Most partial sums per tensor, and so the stride of one tensor's partials in the multi-tensor buffer. */
    private static final int MAX_PARTS = 1024;
    /** Elements per partial sum before the part count is capped. */
    private static final int SUMSQ_GRAIN = 4096;

    /** Checks one AdamW tensor set and returns the element count. */
    static long checkAdamw(CudaTensor p, CudaTensor g, CudaTensor m, CudaTensor v, CudaTensor shadow) {
        long n = p.numel();
        if (g.numel() < n || m.numel() < n || v.numel() < n) {
            throw new IllegalArgumentException("adamw: shape mismatch " + List.of(p, g, m, v));
        }
        if (shadow != null && shadow.numel() != n) {
            throw new IllegalArgumentException("adamw: shadow has " + shadow.numel() + " elements, the parameter " + n);
        }
        return n;
    }

    static void adamw(CudaBackend be, List<AdamWSlot> slots, float lr, float beta1, float beta2, float eps, int step,
                      float gradScale) {
        AdamWScalars k = AdamWScalars.of(lr, beta1, beta2, step);
        int count = slots.size();
        int[] table = new int[ADAMW_SLOT_INTS * count];
        long blocks = 0;
        for (int i = 0; i < count; i++) {
            AdamWSlot s = slots.get(i);
            CudaTensor P = be.of(s.p()), G = be.of(s.g()), M = be.of(s.m()), V = be.of(s.v());
            CudaTensor S = s.shadow() == null ? null : be.of(s.shadow());
            long n = checkAdamw(P, G, M, V, S);
            int o = ADAMW_SLOT_INTS * i;
            putLong(table, o, P.address());
            putLong(table, o + 2, G.address());
            putLong(table, o + 4, M.address());
            putLong(table, o + 6, V.address());
            putLong(table, o + 8, S == null ? 0 : S.address());
            putLong(table, o + 10, n);
            table[o + 12] = Float.floatToRawIntBits(k.decay(s.weightDecay()));
            table[o + 13] = P.dtype().flag() | G.dtype().flag() << 1 | M.dtype().flag() << 2 | V.dtype().flag() << 3
                    | (S == null ? 0 : S.dtype().flag() << 4);
            table[o + 14] = gridBlocks(blocks);
            blocks += (n + ADAMW_CHUNK - 1) / ADAMW_CHUNK;
        }
        if (blocks == 0) return;
        Gpu.Memory t = be.ints("adamw.slots", table, table.length);
        be.launch(Kernels.ADAMW_MULTI, gridBlocks(blocks), 1, 0, t.address, count, ADAMW_CHUNK, gradScale, k.w1(), beta2, k.w2(),
                k.bc2Sqrt(), eps, k.negStep());
    }

    /** Partial sums for a tensor of n > 0 elements (the single-tensor path's chunking: it depends on n alone). */
    static int sumSquaresParts(long n) {
        return (int) Math.min(MAX_PARTS, (n + SUMSQ_GRAIN - 1) / SUMSQ_GRAIN);
    }

    static long sumSquaresChunk(long n, int parts) {
        return (n + parts - 1) / parts;
    }

    /**
     * Each tensor's sum of squares: one pass-1 launch over every tensor's parts (tensor i's part j in
     * partial slot 1024 i + j), one pass-2 launch with a block per tensor, one read.
     */
    static double[] sumSquares(CudaBackend be, List<Tensor> ts) {
        int count = ts.size();
        double[] out = new double[count];
        if (count == 0) return out;
        int[] table = new int[SUMSQ_SLOT_INTS * count];
        long blocks = 0;
        for (int i = 0; i < count; i++) {
            CudaTensor T = be.of(ts.get(i));
            long n = T.numel();
            int parts = n == 0 ? 0 : sumSquaresParts(n);
            int o = SUMSQ_SLOT_INTS * i;
            putLong(table, o, T.address());
            putLong(table, o + 2, n);
            putLong(table, o + 4, parts == 0 ? 0 : sumSquaresChunk(n, parts));
            table[o + 6] = T.dtype().flag();
            table[o + 7] = parts;
            table[o + 8] = gridBlocks(blocks);
            blocks += parts;
        }
        Gpu.Memory t = be.ints("sumsq.slots", table, table.length);
        Gpu.Memory partial = be.scratch("sumsq.partial", 8L * MAX_PARTS * count);
        Gpu.Memory result = be.scratch("sumsq.result", 8L * count);
        be.launch(Kernels.SUMSQ_PARTIAL_MULTI, gridBlocks(blocks), 1, 0, partial.address, t.address, count);
        be.launch(Kernels.SUM_FINISH_MULTI, count, 1, 0, result.address, partial.address, t.address);
        be.downloadInto(out, result, count);
        return out;
    }

    /** Bytes per block of the multi-tensor zero: four 16-byte stores per thread. */
    static final int ZERO_CHUNK = 64 * CudaBackend.THREADS;
    private static final int ZERO_SLOT_INTS = 6;

    /** Zeroes every tensor in one launch (the table upload is skipped when the tensors are the same as last time). */
    static void zero(CudaBackend be, List<Tensor> ts) {
        int count = ts.size();
        int[] table = new int[ZERO_SLOT_INTS * count];
        long blocks = 0;
        for (int i = 0; i < count; i++) {
            CudaTensor T = be.of(ts.get(i));
            long bytes = T.bytes();
            int o = ZERO_SLOT_INTS * i;
            putLong(table, o, T.address());
            putLong(table, o + 2, bytes);
            table[o + 4] = gridBlocks(blocks);
            blocks += (bytes + ZERO_CHUNK - 1) / ZERO_CHUNK;
        }
        if (blocks == 0) return;
        Gpu.Memory t = be.ints("zero.slots", table, table.length);
        be.launch(Kernels.ZERO_MULTI, gridBlocks(blocks), 1, 0, t.address, count, ZERO_CHUNK);
    }

    /** A block index (the grid's x dimension holds at most 2^31 - 1 blocks). */
    private static int gridBlocks(long blocks) {
        if (blocks > Integer.MAX_VALUE) throw new IllegalArgumentException("multi-tensor launch of " + blocks + " blocks");
        return (int) blocks;
    }

    /** A 64-bit field as two ints, low half first (both the host and the GPU are little-endian). */
    private static void putLong(int[] table, int at, long value) {
        table[at] = (int) value;
        table[at + 1] = (int) (value >>> 32);
    }
}
