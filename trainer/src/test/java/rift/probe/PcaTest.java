package rift.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;
import rift.util.Rng;

class PcaTest {

    /**
     * Built by hand: centred rows y1_k·q1 + y2_k·q2 with y1 = (14, −7, −7), y2 = (0, 7, −7) and the
     * orthonormal q1 = (2, 3, 6)/7, q2 = (3, −6, 2)/7, shifted by the mean (10, 20, 30). So
     * PC1 = q1 (variance Σy1²/2 = 147), PC2 = ±q2 (variance Σy2²/2 = 49), and sklearn's sign rule (largest
     * |entry| positive) turns q2 into (−3, 6, −2)/7.
     */
    static final double[][] HAND = {{14, 26, 42}, {11, 11, 26}, {5, 23, 22}};

    @Test
    void handComputedThreeByThree() {
        for (boolean viaGram : new boolean[] {true, false}) {
            Pca pca = Pca.fit(HAND, 2, "hand", viaGram);
            assertArrayEquals(new double[] {10, 20, 30}, pca.mean(), 1e-13);
            assertArrayEquals(new double[] {2 / 7.0, 3 / 7.0, 6 / 7.0}, pca.components()[0], 1e-14);
            assertArrayEquals(new double[] {-3 / 7.0, 6 / 7.0, -2 / 7.0}, pca.components()[1], 1e-14);
            assertArrayEquals(new double[] {147, 49}, pca.explainedVariance(), 1e-11);
            assertArrayEquals(new double[] {Math.sqrt(294), Math.sqrt(98)}, pca.singularValues(), 1e-12);
            // raw (uncentred) mean projections: mean · c, as the centred parts average to 0
            assertEquals((20 + 60 + 180) / 7.0, pca.meanRawProjection(HAND, 0), 1e-12);
            assertEquals((-30 + 120 - 60) / 7.0, pca.meanRawProjection(HAND, 1), 1e-12);
        }
    }

    @Test
    void signRuleMakesLargestEntryPositive() {
        double[] v = {0.1, -0.9, 0.3};
        Pca.flipSign(v);
        assertArrayEquals(new double[] {-0.1, 0.9, -0.3}, v, 0);
        double[] tie = {-0.5, 0.5}; // exact tie: the first entry decides, as np.argmax
        Pca.flipSign(tie);
        assertArrayEquals(new double[] {0.5, -0.5}, tie, 0);
        // reflecting the data through its mean gives the same axes with the same signs
        double[][] reflected = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) reflected[i][j] = 2 * (10 + 10 * j) - HAND[i][j];
        Pca a = Pca.fit(HAND, 2, "hand"), b = Pca.fit(reflected, 2, "reflected");
        assertArrayEquals(a.components()[0], b.components()[0], 1e-14);
        assertArrayEquals(a.components()[1], b.components()[1], 1e-14);
    }

    /** Wide (Gram path) and tall (scatter path) random data: all components reconstruct the centred data. */
    @Test
    void randomCaseReconstructs() {
        checkFullReconstruction(randomMatrix(12, 30, 1), 11); // rank of 12 centred rows is 11
        checkFullReconstruction(randomMatrix(40, 8, 2), 8);
    }

    private static void checkFullReconstruction(double[][] x, int rank) {
        Pca pca = Pca.fit(x, rank, "random");
        int k = x.length, h = x[0].length;
        double[][] c = pca.components();
        for (int p = 0; p < rank; p++) {
            for (int q = 0; q < rank; q++) assertEquals(p == q ? 1 : 0, Pca.dot(c[p], c[q]), 1e-12);
            if (p > 0) assertTrue(pca.explainedVariance()[p - 1] >= pca.explainedVariance()[p]);
            int arg = 0;
            for (int j = 1; j < h; j++) if (Math.abs(c[p][j]) > Math.abs(c[p][arg])) arg = j;
            assertTrue(c[p][arg] > 0, "largest entry of component " + p + " is positive");
        }
        for (int i = 0; i < k; i++) {
            double[] centred = new double[h];
            for (int j = 0; j < h; j++) centred[j] = x[i][j] - pca.mean()[j];
            double[] rebuilt = new double[h];
            for (int p = 0; p < rank; p++) {
                double score = Pca.dot(centred, c[p]);
                for (int j = 0; j < h; j++) rebuilt[j] += score * c[p][j];
            }
            assertArrayEquals(centred, rebuilt, 1e-11);
        }
        // explained variance is the variance of the scores along each axis
        for (int p = 0; p < rank; p++) {
            double ss = 0;
            for (double[] row : x) {
                double s = Pca.dot(row, c[p]) - Pca.dot(pca.mean(), c[p]);
                ss += s * s;
            }
            assertEquals(pca.explainedVariance()[p], ss / (k - 1), 1e-10 * (1 + ss));
        }
    }

    @Test
    void firstComponentMaximisesVariance() {
        double[][] x = randomMatrix(15, 25, 3);
        Pca pca = Pca.fit(x, 2, "random");
        Rng rng = new Rng(4);
        for (int trial = 0; trial < 50; trial++) {
            double[] dir = new double[25];
            for (int j = 0; j < 25; j++) dir[j] = rng.nextGaussian();
            double norm = Math.sqrt(Pca.dot(dir, dir));
            for (int j = 0; j < 25; j++) dir[j] /= norm;
            double ss = 0;
            for (double[] row : x) {
                double s = Pca.dot(row, dir) - Pca.dot(pca.mean(), dir);
                ss += s * s;
            }
            assertTrue(ss / 14 <= pca.explainedVariance()[0] + 1e-12);
        }
    }

    @Test
    void gramAndScatterPathsAgree() {
        double[][] x = randomMatrix(10, 10, 5);
        Pca gram = Pca.fit(x, 3, "random", true), scatter = Pca.fit(x, 3, "random", false);
        for (int c = 0; c < 3; c++) assertArrayEquals(scatter.components()[c], gram.components()[c], 1e-11);
        assertArrayEquals(scatter.explainedVariance(), gram.explainedVariance(), 1e-11);
    }

    @Test
    void undefinedComponentsAreErrors() {
        double[][] identical = {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}};
        assertThrows(RiftException.class, () -> Pca.fit(identical, 2, "identical"));
        double[][] line = {{0, 0, 0}, {1, 2, 3}, {2, 4, 6}}; // one direction only
        RiftException e = assertThrows(RiftException.class, () -> Pca.fit(line, 2, "line"));
        assertTrue(e.getMessage().contains("principal component 2"), e.getMessage());
        assertThrows(RiftException.class, () -> Pca.fit(new double[][] {{1, 2, 3}}, 2, "one row"));
        assertThrows(RiftException.class, () -> Pca.fit(new double[][] {{1, 2}, {3}}, 1, "ragged"));
        assertThrows(RiftException.class, () -> Pca.fit(new double[][] {{1, Double.NaN}, {3, 4}}, 1, "nan"));
    }

    static double[][] randomMatrix(int rows, int cols, long seed) {
        Rng rng = new Rng(seed);
        double[][] x = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) x[i][j] = 3 + rng.nextGaussian() * (1 + j % 4);
        }
        return x;
    }
}
