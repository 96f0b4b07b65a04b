package rift.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import rift.util.Rng;

class SymmetricEigenTest {

    /** tridiag(1, 2, 1) of size 3: eigenvalues 2 + √2, 2, 2 − √2 with eigenvectors (1, ±√2, 1)/2, (1, 0, −1)/√2. */
    @Test
    void knownTridiagonal() {
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{2, 1, 0}, {1, 2, 1}, {0, 1, 2}});
        double r2 = Math.sqrt(2);
        assertArrayEquals(new double[] {2 + r2, 2, 2 - r2}, e.values(), 1e-14);
        assertParallel(new double[] {0.5, r2 / 2, 0.5}, e.vectors()[0]);
        assertParallel(new double[] {1 / r2, 0, -1 / r2}, e.vectors()[1]);
        assertParallel(new double[] {0.5, -r2 / 2, 0.5}, e.vectors()[2]);
    }

    @Test
    void randomSymmetricIsReconstructed() {
        Rng rng = new Rng(7);
        int n = 60;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = rng.nextGaussian();
                a[j][i] = a[i][j];
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a);
        for (int k = 1; k < n; k++) assertTrue(e.values()[k - 1] >= e.values()[k], "descending");
        // orthonormal eigenvectors
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                assertEquals(p == q ? 1 : 0, Pca.dot(e.vectors()[p], e.vectors()[q]), 1e-12);
            }
        }
        // A = Σ λ_k v_k v_kᵀ
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += e.values()[k] * e.vectors()[k][i] * e.vectors()[k][j];
                assertEquals(a[i][j], s, 1e-11);
            }
        }
        // the trace is the sum of eigenvalues
        double trace = 0, sum = 0;
        for (int i = 0; i < n; i++) {
            trace += a[i][i];
            sum += e.values()[i];
        }
        assertEquals(trace, sum, 1e-11);
    }

    @Test
    void repeatedAndZeroEigenvalues() {
        SymmetricEigen zero = SymmetricEigen.of(new double[3][3]);
        assertArrayEquals(new double[] {0, 0, 0}, zero.values(), 0);
        // rank-one matrix u uᵀ with |u|² = 9: eigenvalues 9, 0, 0
        double[] u = {1, 2, 2};
        double[][] a = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) a[i][j] = u[i] * u[j];
        SymmetricEigen e = SymmetricEigen.of(a);
        assertArrayEquals(new double[] {9, 0, 0}, e.values(), 1e-13);
        assertParallel(new double[] {1 / 3.0, 2 / 3.0, 2 / 3.0}, e.vectors()[0]);
    }

    @Test
    void sameInputSameBits() {
        Rng rng = new Rng(3);
        double[][] a = new double[20][20];
        for (int i = 0; i < 20; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = rng.nextDouble();
                a[j][i] = a[i][j];
            }
        }
        SymmetricEigen x = SymmetricEigen.of(a), y = SymmetricEigen.of(a);
        assertArrayEquals(x.values(), y.values(), 0);
        for (int k = 0; k < 20; k++) assertArrayEquals(x.vectors()[k], y.vectors()[k], 0);
    }

    @Test
    void rejectsNonSymmetric() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {3, 1}}));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}}));
    }

    /** Equal up to sign, as eigenvectors are. */
    static void assertParallel(double[] expected, double[] actual) {
        double sign = Math.signum(Pca.dot(expected, actual));
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], sign * actual[i], 1e-13);
    }
}
