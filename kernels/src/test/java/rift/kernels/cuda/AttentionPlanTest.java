package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttentionPlanTest {
    @Test
    void tilesCoverEverySequenceAndSkipEmptyOnes() {
        int[] t = AttentionPlan.tiles(new int[] {3, 3, 70, 71}, 64);
        assertArrayEquals(new int[] {3, 3, 70, 67, 3, 70, 70, 70, 71}, t);
        assertEquals(0, AttentionPlan.tiles(new int[] {5}, 64).length);
    }

    /** A100 lets a block opt into 163 KB (166912 bytes); every instantiation must fit at its largest head dimension. */
    @Test
    void sharedMemoryFitsAnA100AtEveryHeadDimension() {
        for (int hd = 1; hd <= AttentionPlan.MAX_HEAD_DIM; hd++) {
            for (AttentionPlan.Config c : new AttentionPlan.Config[] {AttentionPlan.forward(hd), AttentionPlan.backwardDq(hd),
                    AttentionPlan.backwardDkDv(hd)}) {
                assertTrue(c.sharedBytes() <= 166912, c + " at hd " + hd);
                assertTrue(c.bq() % 16 == 0 && c.bk() % 16 == 0, c.toString());
            }
        }
        assertEquals(4 * (2 * 64 * 129 + 64 * 65), AttentionPlan.forward(128).sharedBytes());
        assertEquals(Kernels.ATTN_DQ_HD256, AttentionPlan.backwardDq(200).kernel());
        assertEquals(Kernels.ATTN_DKDV_HD64, AttentionPlan.backwardDkDv(64).kernel());
        assertEquals(Kernels.ATTN_FWD_HD128, AttentionPlan.forward(65).kernel());
    }

    /** Tensor cores: bf16 inputs, hd 64 or 128, 16-byte aligned; their tiles fit an A100 too. */
    @Test
    void tensorCoreKernelsServeBf16AtHeadDimensions64And128() {
        org.junit.jupiter.api.Assertions.assertTrue(AttentionPlan.tensorCores(128, true, 256, 4096));
        org.junit.jupiter.api.Assertions.assertTrue(AttentionPlan.tensorCores(64, true));
        org.junit.jupiter.api.Assertions.assertFalse(AttentionPlan.tensorCores(128, false, 256));
        org.junit.jupiter.api.Assertions.assertFalse(AttentionPlan.tensorCores(96, true, 256));
        org.junit.jupiter.api.Assertions.assertFalse(AttentionPlan.tensorCores(128, true, 256, 4098));
        for (int hd : new int[] {64, 128}) {
            for (AttentionPlan.Config c : new AttentionPlan.Config[] {AttentionPlan.forwardTc(hd), AttentionPlan.backwardDqTc(hd),
                    AttentionPlan.backwardDkDvTc(hd)}) {
                assertTrue(c.sharedBytes() <= 166912, c + " at hd " + hd);
            }
        }
        assertEquals(2 * 136 * (128 + 128), AttentionPlan.forwardTc(128).sharedBytes());
        assertEquals(Kernels.ATTN_DKDV_TC_HD64, AttentionPlan.backwardDkDvTc(64).kernel());
        assertEquals(128, AttentionPlan.backwardDkDvTc(128).bk());
    }

    /** The fa2 forward: 256-row query tiles, K and V double-buffered; opt-in by property only. */
    @Test
    void fa2ForwardIsOptInAndFitsAnA100() {
        assertEquals(2 * 136 * (256 + 4 * 64), AttentionPlan.forwardFa2(128).sharedBytes()); // 139264 bytes
        assertEquals(2 * 72 * (256 + 4 * 64), AttentionPlan.forwardFa2(64).sharedBytes());
        assertTrue(AttentionPlan.forwardFa2(128).sharedBytes() <= 166912);
        assertEquals(Kernels.ATTN_FWD_FA2_HD64, AttentionPlan.forwardFa2(64).kernel());
        assertEquals(Kernels.ATTN_FWD_FA2_HD128, AttentionPlan.forwardFa2(128).kernel());
        assertEquals(256, AttentionPlan.forwardFa2(128).bq());
        String old = System.getProperty("rift.cuda.attention");
        try {
            System.clearProperty("rift.cuda.attention");
            org.junit.jupiter.api.Assertions.assertFalse(AttentionPlan.fa2Forward());
            System.setProperty("rift.cuda.attention", "fa2");
            assertTrue(AttentionPlan.fa2Forward());
            assertTrue(AttentionPlan.tensorCores(128, true, 256)); // fa2 is a tensor-core forward, not a fallback
            System.setProperty("rift.cuda.attention", "simt");
            org.junit.jupiter.api.Assertions.assertFalse(AttentionPlan.fa2Forward());
        } finally {
            if (old == null) System.clearProperty("rift.cuda.attention");
            else System.setProperty("rift.cuda.attention", old);
        }
    }

    /**
     * The fa2 backward passes: their shared memory (the kernels' carving in attention_fa2_bwd.cuh) fits an H100 or
     * H200 block (227 KB = 232448 bytes); the dK/dV pass fits an A100 (163 KB) too, the dQ pass at hd 128 does not
     * (CudaAttention keeps the tc dQ there).
     */
    @Test
    void fa2BackwardSharedMemoryFitsAnH100() {
        assertEquals(2 * 136 * (2 * 256 + 4 * 64) + 4 * 2 * 256, AttentionPlan.backwardDqFa2(128).sharedBytes()); // 210944
        assertEquals(2 * 72 * (2 * 256 + 4 * 64) + 4 * 2 * 256, AttentionPlan.backwardDqFa2(64).sharedBytes()); // 112640
        assertEquals(2 * 136 * (2 * 128 + 4 * 64) + 4 * 4 * 64, AttentionPlan.backwardDkDvFa2(128).sharedBytes()); // 140288
        assertEquals(2 * 72 * (2 * 128 + 4 * 64) + 4 * 4 * 64, AttentionPlan.backwardDkDvFa2(64).sharedBytes()); // 74752
        for (int hd : new int[] {64, 128}) {
            assertTrue(AttentionPlan.backwardDqFa2(hd).sharedBytes() <= 232448, "dq hd " + hd);
            assertTrue(AttentionPlan.backwardDkDvFa2(hd).sharedBytes() <= 166912, "dkdv hd " + hd);
        }
        assertTrue(AttentionPlan.backwardDqFa2(128).sharedBytes() > 166912);
        assertEquals(Kernels.ATTN_DQ_FA2_HD64, AttentionPlan.backwardDqFa2(64).kernel());
        assertEquals(Kernels.ATTN_DQ_FA2_HD128, AttentionPlan.backwardDqFa2(128).kernel());
        assertEquals(Kernels.ATTN_DKDV_FA2_HD64, AttentionPlan.backwardDkDvFa2(64).kernel());
        assertEquals(Kernels.ATTN_DKDV_FA2_HD128, AttentionPlan.backwardDkDvFa2(128).kernel());
        assertEquals(256, AttentionPlan.backwardDqFa2(128).bq()); // query tiles of the dQ grid
        assertEquals(128, AttentionPlan.backwardDkDvFa2(128).bk()); // key tiles of the dK/dV grid, as the tc pass's
    }

    /** -Drift.cuda.attention: fa2 = fa2 forward and backward, fa2fwd / fa2bwd one of them, anything unknown an error. */
    @Test
    void attentionKernelChoices() {
        String old = System.getProperty("rift.cuda.attention");
        try {
            record Expect(String value, boolean fwd, boolean bwd, boolean tc) {}
            for (Expect e : new Expect[] {new Expect(null, false, false, true), new Expect("fa2", true, true, true),
                    new Expect("fa2fwd", true, false, true), new Expect("fa2bwd", false, true, true), new Expect("simt", false, false, false)}) {
                if (e.value() == null) System.clearProperty("rift.cuda.attention");
                else System.setProperty("rift.cuda.attention", e.value());
                assertEquals(e.fwd(), AttentionPlan.fa2Forward(), e.value());
                assertEquals(e.bwd(), AttentionPlan.fa2Backward(), e.value());
                assertEquals(e.tc(), AttentionPlan.tensorCores(128, true, 256), e.value());
            }
            System.setProperty("rift.cuda.attention", "fa2-bwd");
            rift.kernels.RiftException ex = assertThrows(rift.kernels.RiftException.class, AttentionPlan::fa2Backward);
            assertTrue(ex.getMessage().contains("fa2-bwd") && ex.getMessage().contains("fa2bwd"), ex.getMessage());
            assertThrows(rift.kernels.RiftException.class, () -> AttentionPlan.tensorCores(128, true));
        } finally {
            if (old == null) System.clearProperty("rift.cuda.attention");
            else System.setProperty("rift.cuda.attention", old);
        }
    }

    @Test
    void heaviestTilesComeFirst() {
        // sequences [3, 3) empty, [3, 70): tiles at 3 (sees 64 keys) and 67 (67 keys); [70, 71): tile at 70 (1 key)
        int[] t = AttentionPlan.tiles(new int[] {3, 3, 70, 71}, 64);
        assertArrayEquals(new int[] {67, 3, 70, 3, 3, 70, 70, 70, 71}, AttentionPlan.heaviestFirst(t, 64));
        int[] two = AttentionPlan.tiles(new int[] {0, 256, 512}, 128); // ties keep their order
        assertArrayEquals(new int[] {128, 0, 256, 384, 256, 512, 0, 0, 256, 256, 256, 512}, AttentionPlan.heaviestFirst(two, 128));
        // key tiles: the first of each sequence sees every later query
        assertArrayEquals(new int[] {0, 0, 256, 256, 256, 512, 128, 0, 256, 384, 256, 512}, AttentionPlan.heaviestKeyTilesFirst(two));
    }

    @Test
    void badShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> AttentionPlan.checkShapes(new int[] {0, 4}, 3, 2, 64));
        assertThrows(IllegalArgumentException.class, () -> AttentionPlan.checkShapes(new int[] {0, 4, 2}, 2, 2, 64));
        assertThrows(IllegalArgumentException.class, () -> AttentionPlan.checkShapes(new int[] {0, 4}, 2, 2, 257));
        assertEquals(9, AttentionPlan.checkShapes(new int[] {1, 4, 9}, 4, 2, 64));
    }
}
