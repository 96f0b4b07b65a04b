package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;

/** -Drift.cuda.headTiles=ROWSxCHUNK sets the LM head tiling of the default options; anything else is a clear error. */
class HeadTilesOptionTest {
    @AfterEach
    void clear() {
        System.clearProperty("rift.cuda.headTiles");
    }

    @Test
    void defaultAndOverride() {
        assertArrayEquals(new int[] {2048, 16384}, CudaBackend.Options.defaultHeadTiles());
        System.setProperty("rift.cuda.headTiles", "1024x4096");
        CudaBackend.Options o = CudaBackend.Options.bf16();
        assertArrayEquals(new int[] {1024, 4096}, new int[] {o.headRowTile(), o.headVocabChunk()});
    }

    @Test
    void malformedValuesNameThePropertyAndTheFix() {
        for (String bad : new String[] {"1024", "0x4096", "1024x", "axb", "1024x4096x2", "-1x5"}) {
            System.setProperty("rift.cuda.headTiles", bad);
            RiftException e = assertThrows(RiftException.class, CudaBackend.Options::fp32, bad);
            assertTrue(e.getMessage().contains("-Drift.cuda.headTiles=" + bad) && e.getMessage().contains("ROWSxCHUNK"), e.getMessage());
        }
    }
}
