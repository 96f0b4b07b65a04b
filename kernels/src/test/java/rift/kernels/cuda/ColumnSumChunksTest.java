package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The column sums' chunking: short chunks, a bounded chunk count, and a bounded partials buffer for wide rows. */
class ColumnSumChunksTest {
    @Test
    void chunksAreShortButTheirNumberAndThePartialsAreBounded() {
        assertEquals(32, CudaDense.colsumRowsPerChunk(4096, 1024));    // Qwen3-0.6B's norms: 128 chunks
        assertEquals(32, CudaDense.colsumRowsPerChunk(65536, 128));    // its per-head q norm: 2048 chunks
        assertEquals(35, CudaDense.colsumRowsPerChunk(140_001, 8));    // at most 4096 chunks
        assertEquals(64, CudaDense.colsumRowsPerChunk(65536, 4096));   // 4096 columns: at most 1024 chunks (32 MiB)
        assertEquals(32, CudaDense.colsumRowsPerChunk(1, 1));
        for (int rows : new int[] {1, 33, 4096, 100_000, 1 << 20, Integer.MAX_VALUE / 2})
            for (int cols : new int[] {1, 128, 4096, 1 << 16, 1 << 23}) {
                int per = CudaDense.colsumRowsPerChunk(rows, cols);
                long chunks = (rows + (long) per - 1) / per;
                assertTrue(per >= 32 && chunks <= CudaDense.MAX_COLSUM_CHUNKS, rows + " x " + cols);
                assertTrue(chunks * cols <= Math.max(CudaDense.MAX_COLSUM_PARTIALS, (long) cols), rows + " x " + cols + ": " + chunks + " chunks");
            }
    }
}
