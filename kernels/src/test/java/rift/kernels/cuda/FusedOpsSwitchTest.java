package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;

/**
 * -Drift.cuda.fused=off (gpu-check.sh's fallback when the fused kernels fail op parity on a GPU): the fused ops run as
 * Backend's compositions of single ops, with the same results; any value but on or off is an error naming the fix.
 */
class FusedOpsSwitchTest {
    @AfterEach
    void clear() {
        System.clearProperty("rift.cuda.fused");
    }

    private static float[] addRmsNorm(List<String> ops) {
        try (CudaBackend be = new CudaBackend(new EmuGpu(), CudaBackend.Options.fp32())) {
            int N = 3, D = 40;
            CudaTensor a = be.zeros(N, D), b = be.zeros(N, D), sum = be.zeros(N, D), out = be.zeros(N, D), w = be.zeros(D), rstd = be.zeros(N);
            float[] x = new float[N * D], g = new float[D];
            for (int i = 0; i < x.length; i++) x[i] = (i % 7) - 3;
            for (int i = 0; i < D; i++) g[i] = 1 + i % 3;
            be.upload(a, x);
            be.upload(b, x);
            be.upload(w, g);
            OpProfile p = new OpProfile(false);
            be.profile(p);
            be.addRmsNorm(sum, out, rstd, a, b, w, 1e-6f);
            be.profile(null);
            for (OpProfile.Entry e : p.entries()) ops.add(e.op());
            return be.download(out);
        }
    }

    @Test
    void offRunsTheCompositionWithTheSameResults() {
        String why = EmuGpu.unavailable();
        Assumptions.assumeTrue(why == null, () -> "no CUDA emulator: " + why);
        List<String> fused = new java.util.ArrayList<>(), composed = new java.util.ArrayList<>();
        float[] one = addRmsNorm(fused);
        System.setProperty("rift.cuda.fused", "off");
        float[] two = addRmsNorm(composed);
        assertEquals(List.of("addRmsNorm"), fused);
        assertTrue(composed.containsAll(List.of("add", "rmsNorm")) && !composed.contains("addRmsNorm"), composed.toString());
        assertArrayEquals(one, two);
    }

    @Test
    void otherValuesAreRefused() {
        System.setProperty("rift.cuda.fused", "no");
        RiftException e = assertThrows(RiftException.class, CudaBackend::fusedByProperty);
        assertTrue(e.getMessage().contains("-Drift.cuda.fused=off"), e.getMessage());
    }
}
