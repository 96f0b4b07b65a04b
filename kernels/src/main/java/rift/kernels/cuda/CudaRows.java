package rift.kernels.cuda;

import java.util.Arrays;
import rift.kernels.Tensor;

/**
 * Row copies with index maps on the CUDA backend (rift_copy_rows, rift_copy_rows_pair): the KV cache writes of
 * decoding and the gather of attention rows. CudaBackend's methods of the same names enter the backend and call these.
 */
final class CudaRows {
    private CudaRows() {}

    static void kvWrite(CudaBackend be, Tensor cache, Tensor src, int[] slot, int[] pos) {
        CudaTensor C = be.of(cache), S = be.of(src);
        int[] dstRow = cacheRows(C, S, slot, pos);
        copyRows(be, C, be.ints("kvWrite.rows", dstRow, dstRow.length).address, S, null, S.rowLength(), slot.length);
        be.done("kvWrite", 0, (long) slot.length * S.rowLength() * (S.dtype().bytes() + C.dtype().bytes()));
    }

    /**
     * The keys' and the values' cache writes in one launch (rift_copy_rows_pair): the bits of the two kvWrite
     * calls. Its rows have their own scratch name, so a decode step's other kvWrite (q to its slots) does not
     * make every layer upload them again.
     */
    static void kvWrite(CudaBackend be, Tensor cacheK, Tensor cacheV, Tensor k, Tensor v, int[] slot, int[] pos) {
        CudaTensor CK = be.of(cacheK), CV = be.of(cacheV), K = be.of(k), V = be.of(v);
        CudaBackend.require(Arrays.equals(CK.shape(), CV.shape()) && K.rowLength() == V.rowLength() && V.rowCount() >= slot.length,
                "kvWrite (keys and values)", cacheK, cacheV, k, v);
        int[] dstRow = cacheRows(CK, K, slot, pos);
        CudaBackend.disjoint("kvWrite (keys and values)", new CudaTensor[] {CK, CV}, K, V);
        if (CudaBackend.overlap(CK, CV)) {
            throw new IllegalArgumentException("kvWrite (keys and values): the key and value caches share memory; give each a tensor"
                    + " of its own");
        }
        int width = K.rowLength();
        long rows = be.ints("kvWrite.kvRows", dstRow, dstRow.length).address;
        be.launch(Kernels.COPY_ROWS_PAIR, 2 * slot.length, CudaBackend.blocks(width), 0, CK.address(), CK.dtype().flag(), K.address(),
                K.dtype().flag(), CV.address(), CV.dtype().flag(), V.address(), V.dtype().flag(), rows, width, slot.length);
        be.done("kvWrite (keys and values)", 0, 2L * slot.length * width * (K.dtype().bytes() + CK.dtype().bytes()));
    }

    /** kvWrite's checks, and its destination rows slot * maxT + pos in cache [B, maxT, width]. */
    static int[] cacheRows(CudaTensor cache, CudaTensor src, int[] slot, int[] pos) {
        int width = src.rowLength(), B = cache.dim(0), maxT = cache.dim(1);
        CudaBackend.require(cache.rank() == 3 && cache.dim(2) == width && slot.length == pos.length && src.rowCount() >= slot.length, "kvWrite",
                cache, src);
        int[] dstRow = new int[slot.length];
        for (int r = 0; r < slot.length; r++) {
            if (pos[r] < 0 || pos[r] >= maxT) throw new IllegalArgumentException("KV cache full: position " + pos[r] + " >= " + maxT);
            if (slot[r] < 0 || slot[r] >= B) throw new IllegalArgumentException("KV cache slot " + slot[r] + " outside [0, " + B + ")");
            dstRow[r] = slot[r] * maxT + pos[r];
        }
        return dstRow;
    }

    static void gatherRows(CudaBackend be, Tensor dst, Tensor src, int[] rows) {
        CudaTensor D = be.of(dst), S = be.of(src);
        int width = S.rowLength();
        if (D.rowLength() != width) throw new IllegalArgumentException("gatherRows " + src + " -> " + dst);
        CudaBackend.require(D.rowCount() >= rows.length, "gatherRows", dst, src);
        for (int r : rows) {
            if (r < 0 || r >= S.rowCount()) throw new IllegalArgumentException("gatherRows: row " + r + " outside " + src);
        }
        copyRows(be, D, null, S, be.ints("gatherRows.rows", rows, rows.length).address, width, rows.length);
        be.done("gatherRows", 0, (long) rows.length * width * (S.dtype().bytes() + D.dtype().bytes()));
    }

    static void copyRows(CudaBackend be, CudaTensor dst, Long dstIdx, CudaTensor src, Long srcIdx, int width, int count) {
        be.launch(Kernels.COPY_ROWS, count, CudaBackend.blocks(width), 0, dst.address(), dst.dtype().flag(), dstIdx, src.address(),
                src.dtype().flag(), srcIdx, width, count);
    }
}
