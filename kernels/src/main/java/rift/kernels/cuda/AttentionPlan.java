package rift.kernels.cuda;

import java.util.Arrays;
import rift.kernels.RiftException;

/**
 * Host side of the attention kernels (attention.cuh): which instantiation serves a head dimension,
 * its tile sizes and shared memory (the same formulas as the kernels' shared-memory carving), and the
 * tile lists the grids walk. Pure arithmetic, tested on the CPU (AttentionPlanTest).
 */
final class AttentionPlan {
    /** The largest head dimension the kernels take (the decode kernel's q buffer has 256 floats too). */
    static final int MAX_HEAD_DIM = 256;

    private AttentionPlan() {}

    /** One kernel instantiation: its spec and tile sizes (BQ query rows, BK keys per tile). */
    record Config(Kernel kernel, int bq, int bk, int sharedBytes) {}

    static void checkHeadDim(int hd) {
        if (hd < 1 || hd > MAX_HEAD_DIM) {
            throw new IllegalArgumentException("the CUDA attention kernels take head dimensions 1.." + MAX_HEAD_DIM + ", got " + hd);
        }
    }

    /** Forward: Q [BQ][hd+1], K-or-V [BK][hd+1], P [BQ][BK+1] floats. */
    static Config forward(int hd) {
        checkHeadDim(hd);
        Kernel k = hd <= 64 ? Kernels.ATTN_FWD_HD64 : hd <= 128 ? Kernels.ATTN_FWD_HD128 : Kernels.ATTN_FWD_HD256;
        int bq = 64, bk = 64, hs = hd + 1;
        return new Config(k, bq, bk, 4 * (bq * hs + bk * hs + bq * (bk + 1)));
    }

    /** dQ pass: Q, dO [BQ][hd+1], K, V [BK][hd+1], dS [BQ][BK+1] floats. */
    static Config backwardDq(int hd) {
        checkHeadDim(hd);
        Kernel k = hd <= 64 ? Kernels.ATTN_DQ_HD64 : hd <= 128 ? Kernels.ATTN_DQ_HD128 : Kernels.ATTN_DQ_HD256;
        int bq = hd <= 128 ? 64 : 32, bk = bq, hs = hd + 1;
        return new Config(k, bq, bk, 4 * (2 * bq * hs + 2 * bk * hs + bq * (bk + 1)));
    }

    /** dK/dV pass: K, V [BK][hd+1], Q, dO [BQ][hd+1], P^T, dS^T [BK][BQ+1], lse, D [BQ] floats. */
    static Config backwardDkDv(int hd) {
        checkHeadDim(hd);
        Kernel k = hd <= 64 ? Kernels.ATTN_DKDV_HD64 : hd <= 128 ? Kernels.ATTN_DKDV_HD128 : Kernels.ATTN_DKDV_HD256;
        int bq = 32, bk = hd <= 128 ? 64 : 32, hs = hd + 1;
        return new Config(k, bq, bk, 4 * (2 * bk * hs + 2 * bq * hs + 2 * bk * (bq + 1) + 2 * bq));
    }

    /**
     * Whether the tensor-core kernels (attention_tc.cuh) serve this call: bf16 inputs, head dimension 64
     * or 128, 16-byte aligned rows (they load 8 bf16 at a time). Everything else takes the fp32 kernels.
     */
    static boolean tensorCores(int hd, boolean bf16Inputs, long... addresses) {
        if (!bf16Inputs || (hd != 64 && hd != 128) || "simt".equals(kernelChoice())) return false;
        for (long a : addresses) if (a % 16 != 0) return false;
        return true;
    }

    /** Tensor-core forward: Q [128][hd+8], K, V [64][hd+8] bf16. */
    static Config forwardTc(int hd) {
        int bq = 128, bk = 64, s = hd + 8;
        return new Config(hd == 64 ? Kernels.ATTN_FWD_TC_HD64 : Kernels.ATTN_FWD_TC_HD128, bq, bk, 2 * s * (bq + 2 * bk));
    }

    /** The property that picks the attention kernels, and the values it takes (unset: the tensor-core kernels). */
    static final String KERNELS_PROPERTY = "rift.cuda.attention";

    private static final java.util.Set<String> KERNEL_CHOICES = java.util.Set.of("simt", "fa2", "fa2fwd", "fa2bwd");

    /**
     * -Drift.cuda.attention: null (unset) for the tensor-core kernels (attention_tc.cuh) wherever they apply; "simt"
     * for the fp32 CUDA-core kernels everywhere; "fa2" for the fa2 tensor-core forward and backward, "fa2fwd" or
     * "fa2bwd" for one of them (the other pass keeps the default). Any other value is an error, so a misspelt
     * choice cannot silently measure the default.
     */
    static String kernelChoice() {
        String k = System.getProperty(KERNELS_PROPERTY);
        if (k != null && !KERNEL_CHOICES.contains(k)) {
            throw new RiftException("-D" + KERNELS_PROPERTY + "=" + k + " is not a choice of attention kernels: use simt, fa2, fa2fwd or fa2bwd, "
                    + "or leave it unset for the tensor-core default");
        }
        return k;
    }

    /**
     * Whether the tensor-core forward is the fa2 variant (attnForwardFa2: 256-row query tiles, two 16-row slabs
     * per warp, cp.async double-buffered K and V): opt-in with -Drift.cuda.attention=fa2 or fa2fwd until a GPU
     * run shows it faster. Its results are bit-identical to the default tensor-core forward's.
     */
    static boolean fa2Forward() {
        String k = kernelChoice();
        return "fa2".equals(k) || "fa2fwd".equals(k);
    }

    /**
     * Whether the tensor-core backward passes are the fa2 variants (attention_fa2_bwd.cuh: cp.async
     * double-buffered operand tiles, two 16-row slabs per warp in the dQ pass): opt-in with
     * -Drift.cuda.attention=fa2 or fa2bwd until a GPU run shows them faster. Their results are bit-identical to
     * the default tensor-core backward's.
     */
    static boolean fa2Backward() {
        String k = kernelChoice();
        return "fa2".equals(k) || "fa2bwd".equals(k);
    }

    /** The fa2 tensor-core forward: Q [256][hd+8], K and V [2][64][hd+8] (double-buffered) bf16. */
    static Config forwardFa2(int hd) {
        int bq = 256, bk = 64, s = hd + 8;
        return new Config(hd == 64 ? Kernels.ATTN_FWD_FA2_HD64 : Kernels.ATTN_FWD_FA2_HD128, bq, bk, 2 * s * (bq + 4 * bk));
    }

    /** Tensor-core dQ pass: Q, dO [128][hd+8], K, V [64][hd+8] bf16. */
    static Config backwardDqTc(int hd) {
        int bq = 128, bk = 64, s = hd + 8;
        return new Config(hd == 64 ? Kernels.ATTN_DQ_TC_HD64 : Kernels.ATTN_DQ_TC_HD128, bq, bk, 2 * s * (2 * bq + 2 * bk));
    }

    /** Tensor-core dK/dV pass: K, V [128][hd+8], Q, dO [64][hd+8] bf16, lse and D [64] fp32. */
    static Config backwardDkDvTc(int hd) {
        int bq = 64, bk = 128, s = hd + 8;
        return new Config(hd == 64 ? Kernels.ATTN_DKDV_TC_HD64 : Kernels.ATTN_DKDV_TC_HD128, bq, bk,
                2 * s * (2 * bk + 2 * bq) + 4 * 2 * bq);
    }

    /**
     * The fa2 dQ pass (attnBackwardDqFa2): Q, dO [256][hd+8], K and V [2][64][hd+8] (double-buffered) bf16, lse and
     * D [256] fp32. 210944 bytes at hd 128: more than an A100 gives a block (CudaAttention keeps the tc dQ there).
     */
    static Config backwardDqFa2(int hd) {
        int bq = 256, bk = 64, s = hd + 8;
        return new Config(hd == 64 ? Kernels.ATTN_DQ_FA2_HD64 : Kernels.ATTN_DQ_FA2_HD128, bq, bk, 2 * s * (2 * bq + 4 * bk) + 4 * 2 * bq);
    }

    /** The fa2 dK/dV pass (attnBackwardDkDvFa2): K, V [128][hd+8], Q and dO [2][64][hd+8] bf16, lse and D [2][64] fp32. */
    static Config backwardDkDvFa2(int hd) {
        int bq = 64, bk = 128, s = hd + 8;
        return new Config(hd == 64 ? Kernels.ATTN_DKDV_FA2_HD64 : Kernels.ATTN_DKDV_FA2_HD128, bq, bk,
                2 * s * (2 * bk + 4 * bq) + 4 * 4 * bq);
    }

    /**
     * Tiles of {@code tile} rows over every sequence: triples (first row, sequence start, sequence end),
     * sequences in order, empty sequences contributing none.
     */
    static int[] tiles(int[] seqStart, int tile) {
        int S = seqStart.length - 1, count = 0;
        for (int s = 0; s < S; s++) count += (seqStart[s + 1] - seqStart[s] + tile - 1) / tile;
        int[] out = new int[3 * count];
        int t = 0;
        for (int s = 0; s < S; s++) {
            for (int i0 = seqStart[s]; i0 < seqStart[s + 1]; i0 += tile) {
                out[t++] = i0;
                out[t++] = seqStart[s];
                out[t++] = seqStart[s + 1];
            }
        }
        return out;
    }

    /**
     * Query tiles reordered so that those seeing the most keys (the last tiles of long sequences under the
     * causal mask) launch first: blocks start roughly in index order, so the light tiles fill the last
     * wave instead of a few heavy ones running alone at the end. Ties keep their order.
     */
    static int[] heaviestFirst(int[] tiles, int tile) {
        return byWork(tiles, t -> Math.min((long) tiles[3 * t] + tile, tiles[3 * t + 2]) - tiles[3 * t + 1]); // keys its last row sees
    }

    /** Key tiles (dK/dV pass) reordered the same way: a key tile's work is the queries from its first row to the sequence end. */
    static int[] heaviestKeyTilesFirst(int[] tiles) {
        return byWork(tiles, t -> (long) tiles[3 * t + 2] - tiles[3 * t]);
    }

    private static int[] byWork(int[] tiles, java.util.function.IntToLongFunction work) {
        int n = tiles.length / 3;
        Integer[] order = new Integer[n];
        long[] w = new long[n];
        for (int t = 0; t < n; t++) {
            order[t] = t;
            w[t] = work.applyAsLong(t);
        }
        Arrays.sort(order, (a, b) -> Long.compare(w[b], w[a]));
        int[] out = new int[tiles.length];
        for (int t = 0; t < n; t++) System.arraycopy(tiles, 3 * order[t], out, 3 * t, 3);
        return out;
    }

    /** Checks heads and seqStart like the CPU backend; returns N = seqStart[S]. */
    static int checkShapes(int[] seqStart, int hq, int hkv, int hd) {
        if (hq < 1 || hkv < 1 || hq % hkv != 0) {
            throw new IllegalArgumentException("Hq (" + hq + ") must be a positive multiple of Hkv (" + hkv + ")");
        }
        checkHeadDim(hd);
        if (seqStart == null || seqStart.length < 1 || seqStart[0] < 0) {
            throw new IllegalArgumentException("seqStart needs S+1 >= 1 entries starting at a row >= 0");
        }
        for (int s = 0; s + 1 < seqStart.length; s++) {
            if (seqStart[s + 1] < seqStart[s]) {
                throw new IllegalArgumentException("seqStart must not decrease: " + Arrays.toString(seqStart));
            }
        }
        return seqStart[seqStart.length - 1];
    }
}
