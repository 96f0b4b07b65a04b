package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;
import rift.kernels.Tensor;
import rift.kernels.cpu.Rope;

/**
 * CudaBackend.repeatable's guards, over the emulator (whose graph capture refuses reads, uploads and allocations as a
 * GPU does): a capture that fails turns graphs off and runs the ops once, eagerly; a replay re-uploads the index
 * arrays; one index buffer staged twice with different contents in one step is refused; the property is checked.
 */
class CudaGraphsTest {
    private CudaBackend be;

    @BeforeEach
    void open() {
        String why = EmuGpu.unavailable();
        Assumptions.assumeTrue(why == null, () -> "no CUDA emulator: " + why);
        be = new CudaBackend(new EmuGpu(), CudaBackend.Options.fp32());
        be.useGraphs(true);
    }

    @AfterEach
    void close() {
        if (be != null) be.close();
        System.clearProperty("rift.cuda.graphs");
    }

    @Test
    void aFailedCaptureTurnsGraphsOffAndRunsTheOpsOnce() {
        Tensor x = be.zeros(DType.F32, 40);
        float[] v = new float[40];
        for (int i = 0; i < v.length; i++) v[i] = i;
        be.upload(x, v);
        Object key = new Object();
        float[][] seen = new float[1][];
        be.repeatable(key, () -> {
            be.add(x, x, x);
            seen[0] = be.download(x); // a read inside the ops: a capture cannot hold it
        });
        float[] want = new float[40];
        for (int i = 0; i < want.length; i++) want[i] = 2 * i;
        assertArrayEquals(want, be.download(x), "the add ran once");
        assertArrayEquals(want, seen[0]);
        assertTrue(be.graphStatus().startsWith("off: download inside repeatable ops"), be.graphStatus());
        be.repeatable(key, () -> be.add(x, x, x)); // from now on, eager
        for (int i = 0; i < want.length; i++) want[i] = 4 * i;
        assertArrayEquals(want, be.download(x));
    }

    @Test
    void aReplayReadsTheNewIndexArrays() {
        Rope.Table table = Rope.table(64, 8, 10000.0, null);
        Object key = new Object();
        for (int step = 0; step < 3; step++) {
            int[] pos = {step, 10 + step};
            float[] x0 = new float[2 * 8];
            for (int i = 0; i < x0.length; i++) x0[i] = 1 + i;
            Tensor viaGraph = be.zeros(DType.F32, 2, 8), eager = be.zeros(DType.F32, 2, 8);
            be.upload(viaGraph, x0);
            be.upload(eager, x0);
            be.rope(eager, 1, 8, pos, table);
            // the graph recorded at step 0 holds viaGraph's first address; later steps use fresh tensors, so record per step
            be.repeatable(new Object(), () -> be.rope(viaGraph, 1, 8, pos, table));
            assertArrayEquals(be.download(eager), be.download(viaGraph), "step " + step);
        }
        Tensor t = be.zeros(DType.F32, 2, 8);
        float[] x0 = new float[16];
        java.util.Arrays.fill(x0, 1f);
        for (int step = 0; step < 3; step++) { // the same tensor and key: one capture, replays with new positions
            int[] pos = {3 * step, 5 * step};
            be.upload(t, x0);
            be.repeatable(key, () -> be.rope(t, 1, 8, pos, table));
            Tensor want = be.zeros(DType.F32, 2, 8);
            be.upload(want, x0);
            be.rope(want, 1, 8, pos, table);
            assertArrayEquals(be.download(want), be.download(t), "replay " + step);
        }
        assertTrue(be.graphStatus().contains("replayed"), be.graphStatus());
    }

    @Test
    void opsThatStageAnIndexBufferTwiceWithDifferentContentsRunEagerly() {
        Rope.Table table = Rope.table(64, 8, 10000.0, null);
        float[] x0 = new float[16];
        for (int i = 0; i < x0.length; i++) x0[i] = 1 + i;
        Tensor a = be.zeros(DType.F32, 2, 8), b = be.zeros(DType.F32, 2, 8), wa = be.zeros(DType.F32, 2, 8), wb = be.zeros(DType.F32, 2, 8);
        for (Tensor t : new Tensor[] {a, b, wa, wb}) be.upload(t, x0);
        be.repeatable(new Object(), () -> {
            be.rope(a, 1, 8, new int[] {1, 2}, table);
            be.rope(b, 1, 8, new int[] {3, 4}, table); // the same "rope.positions" buffer, other positions
        });
        assertTrue(be.graphStatus().startsWith("off:") && be.graphStatus().contains("rope.positions"), be.graphStatus());
        be.rope(wa, 1, 8, new int[] {1, 2}, table);
        be.rope(wb, 1, 8, new int[] {3, 4}, table);
        assertArrayEquals(be.download(wa), be.download(a));
        assertArrayEquals(be.download(wb), be.download(b));
    }

    @Test
    void thePropertyTakesOnOrOff() {
        System.setProperty("rift.cuda.graphs", "on");
        assertTrue(CudaGraphs.enabledByProperty());
        System.setProperty("rift.cuda.graphs", "off");
        assertEquals(false, CudaGraphs.enabledByProperty());
        System.setProperty("rift.cuda.graphs", "decode");
        RiftException e = assertThrows(RiftException.class, CudaGraphs::enabledByProperty);
        assertTrue(e.getMessage().contains("-Drift.cuda.graphs=decode"), e.getMessage());
    }
}
