package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import rift.kernels.cpu.Rope;

/**
 * The aliasing contract of the CUDA backend's fused ops (Backend.addRmsNorm, rmsNormRope and the keys-and-values
 * kvWrite): one launch reads and writes in an order the two-op composition does not, so an output sharing memory
 * with an input it does not own is refused before anything runs. The aliasing that is allowed (the sum of
 * addRmsNorm over a or b) is checked bit for bit by ParityChecks.
 */
class FusedOpsContractTest {
    @Test
    void overlappingOutputsAreRefused() {
        String why = EmuGpu.unavailable();
        Assumptions.assumeTrue(why == null, () -> "no CUDA emulator: " + why);
        try (CudaBackend be = new CudaBackend(new EmuGpu(), CudaBackend.Options.fp32())) {
            int N = 4, D = 16;
            CudaTensor a = be.zeros(N, D), b = be.zeros(N, D), sum = be.zeros(N, D), out = be.zeros(N, D), w = be.zeros(D), rstd = be.zeros(N);
            be.addRmsNorm(sum, out, rstd, a, b, w, 1e-6f); // disjoint: fine
            be.addRmsNorm(a, out, rstd, a, b, w, 1e-6f);   // sum over a: allowed
            assertThrows(IllegalArgumentException.class, () -> be.addRmsNorm(sum, a, rstd, a, b, w, 1e-6f), "out over a");
            assertThrows(IllegalArgumentException.class, () -> be.addRmsNorm(sum, sum, rstd, a, b, w, 1e-6f), "out over sum");
            assertThrows(IllegalArgumentException.class, () -> be.addRmsNorm(sum, out, sum.view(N), a, b, w, 1e-6f), "rstd inside sum");
            assertThrows(IllegalArgumentException.class, () -> be.addRmsNorm(sum, out, out.view(N), a, b, w, 1e-6f), "rstd inside out");
            // a sum starting one row into a: lanes would overwrite rows of a that others still read
            CudaTensor big = be.zeros(N + 1, D);
            CudaTensor shifted = new CudaTensor(be, be.dev.slice(big.memory, 4L * D, 4L * N * D), DType.F32, N, D);
            assertThrows(IllegalArgumentException.class, () -> be.addRmsNorm(shifted, out, rstd, big.rows(N), b, w, 1e-6f), "sum partly over a");

            int H = 2, hd = 8;
            Rope.Table table = Rope.table(16, hd, 10000.0, null);
            int[] positions = {3, 1, 0, 15};
            CudaTensor x = be.zeros(N, H * hd), q = be.zeros(N, H * hd), qw = be.zeros(hd), rq = be.zeros(N, H);
            be.rmsNormRope(q, rq, x, qw, 1e-6f, H, hd, positions, table);
            assertThrows(IllegalArgumentException.class, () -> be.rmsNormRope(x, rq, x, qw, 1e-6f, H, hd, positions, table), "in place");
            assertThrows(IllegalArgumentException.class, () -> be.rmsNormRope(q, rq, x, qw, 1e-6f, H, hd, new int[] {0, 1, 2, 16}, table),
                    "position past the table");

            CudaTensor ck = be.zeros(2, 5, D), cv = be.zeros(2, 5, D);
            int[] slot = {1, 0}, pos = {4, 0};
            be.kvWrite(ck, cv, a, b, slot, pos);
            assertThrows(IllegalArgumentException.class, () -> be.kvWrite(ck, ck, a, b, slot, pos), "one cache for both");
            assertThrows(IllegalArgumentException.class, () -> be.kvWrite(ck, cv, ck.view(10, D), b, slot, pos), "keys from the cache");
            assertThrows(IllegalArgumentException.class, () -> be.kvWrite(ck, be.zeros(2, 6, D), a, b, slot, pos), "cache shapes differ");
            assertThrows(IllegalArgumentException.class, () -> be.kvWrite(ck, cv, a, b, slot, new int[] {5, 0}), "position past the cache");
        }
    }
}
