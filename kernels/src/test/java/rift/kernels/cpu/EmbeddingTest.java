package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbeddingTest {
    @Test
    void forwardGathersRows() {
        Random r = new Random(10);
        int V = 50, D = 37, N = 200;
        float[] table = Reference.randn(r, V * D, 1);
        int[] ids = r.ints(N, 0, V).toArray();
        float[] out = new float[N * D];
        Embedding.forward(out, ids, N, table, V, D);
        for (int n = 0; n < N; n++) {
            for (int d = 0; d < D; d++) assertEquals(table[ids[n] * D + d], out[n * D + d]);
        }
    }

    /** The backward adds in token order per row: it must equal the plain sequential loop bit for bit. */
    @Test
    void backwardEqualsTokenOrderScatterBitwiseFor1And2Threads() {
        Random r = new Random(11);
        int V = 20, D = 300, N = 500; // many repeats of each id
        int[] ids = r.ints(N, 0, V).toArray();
        float[] dout = Reference.randn(r, N * D, 1);
        float[] start = Reference.randn(r, V * D, 1);
        float[] expected = start.clone();
        for (int n = 0; n < N; n++) {
            for (int d = 0; d < D; d++) expected[ids[n] * D + d] += dout[n * D + d];
        }
        for (int threads : new int[] {1, 2}) {
            float[] dTable = Reference.withThreads(threads, () -> {
                float[] t = start.clone();
                Embedding.backward(t, ids, N, dout, V, D);
                return t;
            });
            assertArrayEquals(expected, dTable, "threads=" + threads);
        }
    }

    /** Finite differences of L = sum(c * forward(table)) with respect to the table, in double. */
    @Test
    void backwardMatchesFiniteDifferences() {
        Random r = new Random(12);
        int V = 6, D = 5, N = 9;
        int[] ids = {0, 3, 3, 5, 1, 3, 0, 2, 5};
        float[] c = Reference.randn(r, N * D, 1);
        double[] table = Reference.toDouble(Reference.randn(r, V * D, 1));
        double[] numeric = Reference.numericGrad(table, () -> {
            double loss = 0;
            for (int n = 0; n < N; n++) for (int d = 0; d < D; d++) loss += c[n * D + d] * table[ids[n] * D + d];
            return loss;
        }, 1e-3);
        float[] dTable = new float[V * D];
        Embedding.backward(dTable, ids, N, c, V, D);
        Reference.assertClose("dTable", numeric, dTable, 1e-6, 1e-9);
        assertEquals(0f, dTable[4 * D], "row 4 is never used");
    }

    @Test
    void idsOutsideTheVocabularyAreRejected() {
        float[] table = new float[4 * 2];
        float[] out = new float[2 * 2];
        assertThrows(IllegalArgumentException.class, () -> Embedding.forward(out, new int[] {0, 4}, 2, table, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> Embedding.backward(table, new int[] {-1, 0}, 2, out, 4, 2));
    }
}
