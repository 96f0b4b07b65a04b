package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import rift.kernels.cpu.Gemm;

/**
 * The row-major -> cuBLAS column-major argument mapping, run through a pure-Java column-major GEMM
 * that reads its arguments the way cuBLAS documents them (addresses are offsets into one array),
 * against the CPU row-major reference, for every transpose pair, padded leading dimensions and batches.
 */
class GemmMappingTest {
    /** cuBLAS semantics: C = alpha op(A) op(B) + beta C, column-major, element (i, j) of X at x[i + j * ldx]. */
    static void columnMajorGemm(GemmMapping.Call c, float alpha, float beta, float[] mem) {
        for (int batch = 0; batch < c.batch(); batch++) {
            long a0 = c.a() + batch * c.strideA(), b0 = c.b() + batch * c.strideB(), c0 = c.c() + batch * c.strideC();
            for (int j = 0; j < c.n(); j++) {
                for (int i = 0; i < c.m(); i++) {
                    double s = 0;
                    for (int p = 0; p < c.k(); p++) {
                        float a = c.transa() == Cublas.OP_N ? mem[(int) (a0 + i + (long) p * c.lda())] : mem[(int) (a0 + p + (long) i * c.lda())];
                        float b = c.transb() == Cublas.OP_N ? mem[(int) (b0 + p + (long) j * c.ldb())] : mem[(int) (b0 + j + (long) p * c.ldb())];
                        s += (double) a * b;
                    }
                    int at = (int) (c0 + i + (long) j * c.ldc());
                    mem[at] = (float) (alpha * s + (beta == 0 ? 0 : beta * mem[at]));
                }
            }
        }
    }

    @Test
    void mappingMatchesRowMajorReference() {
        SplittableRandom r = new SplittableRandom(7);
        int[][] shapes = {{5, 7, 3}, {1, 9, 4}, {8, 1, 6}, {6, 5, 1}, {13, 11, 17}};
        for (int[] s : shapes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (int batch : new int[] {1, 3}) {
                        check(r, s[0], s[1], s[2], ta, tb, batch);
                    }
                }
            }
        }
    }

    private static void check(SplittableRandom r, int M, int N, int K, boolean ta, boolean tb, int batch) {
        int lda = (ta ? M : K) + 2, ldb = (tb ? K : N) + 1, ldc = N + 3;
        int aRows = ta ? K : M, bRows = tb ? N : K;
        long strideA = (long) aRows * lda + 5, strideB = (long) bRows * ldb + 1, strideC = (long) M * ldc + 2;
        int aOff = 3, bOff = aOff + (int) (strideA * batch) + 4, cOff = bOff + (int) (strideB * batch) + 2;
        float[] mem = new float[cOff + (int) (strideC * batch) + 7];
        for (int i = 0; i < mem.length; i++) mem[i] = (float) (r.nextDouble() * 2 - 1);
        float[] expect = mem.clone();
        float alpha = 0.75f, beta = 0.5f;
        for (int b = 0; b < batch; b++) {
            Gemm.reference(ta, tb, M, N, K, alpha, expect, aOff + (int) (b * strideA), lda, expect, bOff + (int) (b * strideB), ldb,
                    beta, expect, cOff + (int) (b * strideC), ldc);
        }
        GemmMapping.Call c = GemmMapping.fromRowMajor(ta, tb, M, N, K, aOff, lda, strideA, bOff, ldb, strideB, cOff, ldc, strideC, batch);
        columnMajorGemm(c, alpha, beta, mem);
        for (int i = 0; i < mem.length; i++) {
            assertEquals(expect[i], mem[i], 1e-5f, "M=" + M + " N=" + N + " K=" + K + " ta=" + ta + " tb=" + tb + " batch=" + batch + " at " + i);
        }
    }

    @Test
    void leadingDimensionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> GemmMapping.fromRowMajor(false, false, 4, 5, 6, 0, 5, 0, 0, 5, 0, 0, 5, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> GemmMapping.fromRowMajor(false, true, 4, 5, 6, 0, 6, 0, 0, 5, 0, 0, 5, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> GemmMapping.fromRowMajor(false, false, 4, 5, 6, 0, 6, 0, 0, 5, 0, 0, 4, 0, 1));
        // cuBLAS's own rule for its A (our B): lda >= m when not transposed, >= k when transposed
        GemmMapping.Call c = GemmMapping.fromRowMajor(true, true, 4, 5, 6, 0, 4, 0, 0, 6, 0, 0, 5, 0, 1);
        assertEquals(Cublas.OP_T, c.transa());
        assertEquals(5, c.m());
        assertEquals(4, c.n());
    }
}
