package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import rift.kernels.Backend;
import rift.kernels.Tensor;

/**
 * Backend's fused ops in their default form (the compositions the CPU backend keeps, and the reference a
 * GPU backend's fused kernels must equal bit for bit): each against the separate ops computed into fresh
 * buffers, with the aliasing the callers use (the sum of addRmsNorm written over one of its inputs).
 */
class FusedDefaultsTest {
    private final Backend be = new CpuBackend();
    private final Random random = new Random(31);

    private Tensor tensor(float[] data, int... shape) {
        Tensor t = be.zeros(shape);
        be.upload(t, data.clone());
        return t;
    }

    private float[] randn(int n) {
        return Reference.randn(random, n, 2);
    }

    /** Which input addRmsNorm writes its sum over. */
    private enum Alias { NONE, A, B }

    @Test
    void addRmsNormIsAddThenRmsNormAlsoWhenTheSumOverwritesAnInput() {
        int N = 7, D = 37; // D not a multiple of the vector width
        for (Alias alias : Alias.values()) {
            float[] a0 = randn(N * D), b0 = randn(N * D), w0 = randn(D);
            float[] wantSum = new float[N * D], wantOut = new float[N * D], wantRstd = new float[N];
            for (int i = 0; i < N * D; i++) wantSum[i] = a0[i] + b0[i];
            RmsNorm.forward(wantOut, wantRstd, wantSum, w0, N, D, 1e-6f);

            Tensor a = tensor(a0, N, D), b = tensor(b0, N, D), w = tensor(w0, D), out = be.zeros(N, D), rstd = be.zeros(N);
            Tensor sum = switch (alias) {
                case NONE -> be.zeros(N, D);
                case A -> a;
                case B -> b;
            };
            be.addRmsNorm(sum, out, rstd, a, b, w, 1e-6f);
            assertArrayEquals(wantSum, be.download(sum), alias + ": sum");
            assertArrayEquals(wantOut, be.download(out), alias + ": out");
            assertArrayEquals(wantRstd, be.download(rstd), alias + ": rstd");
            if (alias != Alias.A) assertArrayEquals(a0, be.download(a), alias + ": a changed");
            if (alias != Alias.B) assertArrayEquals(b0, be.download(b), alias + ": b changed");
        }
    }

    @Test
    void rmsNormRopeIsPerHeadRmsNormThenRopeAndLeavesXAlone() {
        int N = 6, H = 3, hd = 20;
        Rope.Table table = Rope.table(64, hd, 10000.0, null);
        int[] positions = {5, 0, 63, 5, 17, 2}; // out of order, repeated
        float[] x0 = randn(N * H * hd), w0 = randn(hd);
        float[] want = new float[N * H * hd], wantRstd = new float[N * H];
        RmsNorm.forward(want, wantRstd, x0, w0, N * H, hd, 1e-6f);
        Rope.forward(want, N, H, hd, positions, table);

        Tensor x = tensor(x0, N, H * hd), w = tensor(w0, hd), out = be.zeros(N, H * hd), rstd = be.zeros(N, H);
        be.rmsNormRope(out, rstd, x, w, 1e-6f, H, hd, positions, table);
        assertArrayEquals(want, be.download(out), "out");
        assertArrayEquals(wantRstd, be.download(rstd), "rstd");
        assertArrayEquals(x0, be.download(x), "x changed");
    }

    @Test
    void kvWriteOfKeysAndValuesIsTwoKvWrites() {
        int B = 3, maxT = 5, width = 12;
        int[] slot = {2, 0, 2, 1}, pos = {4, 0, 1, 3};
        float[] k0 = randn(5 * width), v0 = randn(5 * width), ck0 = randn(B * maxT * width), cv0 = randn(B * maxT * width);
        Tensor k = tensor(k0, 5, width), v = tensor(v0, 5, width);
        Tensor ck = tensor(ck0, B, maxT, width), cv = tensor(cv0, B, maxT, width);
        Tensor ck1 = tensor(ck0, B, maxT, width), cv1 = tensor(cv0, B, maxT, width);
        be.kvWrite(ck, cv, k, v, slot, pos);
        be.kvWrite(ck1, k, slot, pos);
        be.kvWrite(cv1, v, slot, pos);
        assertArrayEquals(be.download(ck1), be.download(ck), "keys");
        assertArrayEquals(be.download(cv1), be.download(cv), "values");
        assertThrows(IllegalArgumentException.class, () -> be.kvWrite(ck, be.zeros(B, maxT + 1, width), k, v, slot, pos));
        assertThrows(IllegalArgumentException.class, () -> be.kvWrite(ck, cv, k, be.zeros(5, width + 1), slot, pos));
    }
}
