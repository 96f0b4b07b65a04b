package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VecTest {
    @Test
    void addAndAddInPlaceAreExactElementwise() {
        Random r = new Random(3);
        int n = 100_003; // several parallel chunks and a vector tail
        float[] a = Reference.randn(r, n, 1), b = Reference.randn(r, n, 1);
        float[] out = new float[n];
        Vec.add(out, a, b, n);
        for (int i = 0; i < n; i++) assertEquals(a[i] + b[i], out[i], "add " + i);
        float[] y = a.clone();
        Vec.addInPlace(y, b, n);
        assertArrayEquals(out, y);
        float[] alias = a.clone();
        Vec.add(alias, alias, b, n); // out aliasing a
        assertArrayEquals(out, alias);
    }

    @Test
    void scaleTouchesOnlyItsRange() {
        Random r = new Random(4);
        float[] x = Reference.randn(r, 1000, 1);
        float[] before = x.clone();
        Vec.scale(x, 17, 900, -0.37f);
        for (int i = 0; i < x.length; i++) {
            float want = i >= 17 && i < 917 ? before[i] * -0.37f : before[i];
            assertEquals(want, x[i], "scale " + i);
        }
    }

    @Test
    void sumSquaresMatchesDoubleAndIsDeterministicPerThreadCount() {
        Random r = new Random(5);
        int n = 300_001;
        float[] x = Reference.randn(r, n + 11, 3);
        double ref = 0;
        for (int i = 11; i < n + 11; i++) ref += (double) x[i] * x[i];
        for (int threads : new int[] {1, 2}) {
            double first = Reference.withThreads(threads, () -> Vec.sumSquares(x, 11, n));
            double again = Reference.withThreads(threads, () -> Vec.sumSquares(x, 11, n));
            assertEquals(Double.doubleToLongBits(first), Double.doubleToLongBits(again), "repeat, threads=" + threads);
            assertEquals(ref, first, 1e-11 * ref, "threads=" + threads);
        }
        assertEquals(0.0, Vec.sumSquares(x, 0, 0));
    }

    @Test
    void badRangesAreRejected() {
        float[] x = new float[10];
        assertThrows(IllegalArgumentException.class, () -> Vec.scale(x, 5, 6, 1f));
        assertThrows(IllegalArgumentException.class, () -> Vec.add(x, x, new float[5], 10));
    }
}
