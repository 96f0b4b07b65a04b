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
