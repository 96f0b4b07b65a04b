package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.*;
import static rift.kernels.cpu.AttentionReference.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Forward and decode of {@link Attention} against the double reference. */
class AttentionTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** Runs the kernel forward on random inputs and checks out and lse against the double reference. */
    private static void checkForward(long seed, int[] lengths, int Hq, int Hkv, int hd, double amplitude) {
        Random rnd = new Random(seed);
        int[] seqStart = seqStart(lengths);
        int n = seqStart[lengths.length];
        float[] q = randomFloats(rnd, n * Hq * hd, amplitude), k = randomFloats(rnd, n * Hkv * hd, amplitude);
        float[] v = randomFloats(rnd, n * Hkv * hd, 1);
        float scale = (float) (1 / Math.sqrt(hd));
        float[] out = new float[n * Hq * hd], lse = new float[n * Hq];
        Attention.forward(out, lse, q, k, v, seqStart, Hq, Hkv, hd, scale);
        AttentionReference.Forward ref = AttentionReference.forward(toDouble(q), toDouble(k), toDouble(v), seqStart, Hq, Hkv, hd, scale);
        String shape = Arrays.toString(lengths) + " Hq=" + Hq + " Hkv=" + Hkv + " hd=" + hd;
        // float scores carry a relative error ~1e-7 of their size; the probabilities inherit it absolutely
        double outTol = 2e-6 * amplitude * amplitude;
        assertTrue(maxAbsDiff(out, ref.out()) < outTol, "out " + shape + ": " + maxAbsDiff(out, ref.out()));
        double lseTol = 2e-6 * Math.max(1, maxAbs(ref.lse()));
        assertTrue(maxAbsDiff(lse, ref.lse()) < lseTol, "lse " + shape + ": " + maxAbsDiff(lse, ref.lse()));
    }

    @Test
    void forwardMatchesReferenceWhenHeadsAreNotShared() {
        checkForward(1, new int[] {5, 1, 37, 67}, 4, 4, 16, 1);
    }

    @Test
    void forwardMatchesReferenceWithGroupedHeadsAndOddHeadDim() {
        checkForward(2, new int[] {70, 1, 0, 129}, 8, 2, 20, 1);
        checkForward(3, new int[] {10, 3, 1}, 4, 1, 3, 1);
    }

    @Test
    void forwardMatchesReferenceOverManyTiles() {
        checkForward(4, new int[] {200, 63, 65}, 4, 1, 64, 1);
        checkForward(5, new int[] {130}, 2, 2, 128, 1);
        checkForward(6, new int[] {1, 1, 1}, 2, 1, 7, 1);
    }

    /** Large scores: only a max-subtracted (online) softmax stays finite and exact here. */
    @Test
    void forwardIsStableForLargeScores() {
        checkForward(7, new int[] {150, 9}, 4, 2, 16, 12);
    }

    @Test
    void forwardLeavesRowsBeforeTheFirstSequenceAlone() {
        Random rnd = new Random(8);
        int Hq = 2, Hkv = 1, hd = 8;
        int[] seqStart = {3, 10, 20};
        float[] q = randomFloats(rnd, 20 * Hq * hd, 1), k = randomFloats(rnd, 20 * Hkv * hd, 1), v = randomFloats(rnd, 20 * Hkv * hd, 1);
        float[] out = new float[20 * Hq * hd], lse = new float[20 * Hq];
        Arrays.fill(out, Float.NaN);
        Arrays.fill(lse, Float.NaN);
        Attention.forward(out, lse, q, k, v, seqStart, Hq, Hkv, hd, 0.5f);
        for (int i = 0; i < 3 * Hq * hd; i++) assertTrue(Float.isNaN(out[i]));
        for (int i = 3 * Hq * hd; i < out.length; i++) assertFalse(Float.isNaN(out[i]), "row element " + i);
        // a sequence starting at row 3 must equal the same sequence on its own
        float[] alone = new float[7 * Hq * hd], aloneLse = new float[7 * Hq];
        Attention.forward(alone, aloneLse, Arrays.copyOfRange(q, 3 * Hq * hd, 10 * Hq * hd),
                Arrays.copyOfRange(k, 3 * Hkv * hd, 10 * Hkv * hd), Arrays.copyOfRange(v, 3 * Hkv * hd, 10 * Hkv * hd),
                new int[] {0, 7}, Hq, Hkv, hd, 0.5f);
        assertArrayEquals(alone, Arrays.copyOfRange(out, 3 * Hq * hd, 10 * Hq * hd));
    }

    @Test
    void forwardAndBackwardGiveTheSameBitsOnRepeatAndForOneOrTwoThreads() {
        Random rnd = new Random(9);
        int Hq = 4, Hkv = 2, hd = 20;
        int[] seqStart = seqStart(100, 37, 130);
        int n = seqStart[3];
        float[] q = randomFloats(rnd, n * Hq * hd, 1), k = randomFloats(rnd, n * Hkv * hd, 1), v = randomFloats(rnd, n * Hkv * hd, 1);
        float[] dout = randomFloats(rnd, n * Hq * hd, 1);
        float[][] first = null;
        for (int threads : new int[] {1, 1, 2, 2}) {
            Parallel.setThreads(threads);
            float[] out = new float[n * Hq * hd], lse = new float[n * Hq];
            Attention.forward(out, lse, q, k, v, seqStart, Hq, Hkv, hd, 0.3f);
            float[] dq = new float[q.length], dk = new float[k.length], dv = new float[v.length];
            Attention.backward(dq, dk, dv, dout, out, lse, q, k, v, seqStart, Hq, Hkv, hd, 0.3f);
            float[][] run = {out, lse, dq, dk, dv};
            if (first == null) first = run;
            for (int i = 0; i < run.length; i++) assertArrayEquals(first[i], run[i], "array " + i + ", threads " + threads);
        }
    }

    @Test
    void decodeEqualsTheLastForwardRowOfTheSamePrefix() {
        Random rnd = new Random(10);
        int Hq = 4, Hkv = 2, hd = 20, maxT = 160;
        int[] lengths = {5, 0, 150, 1};
        int B = lengths.length;
        float scale = 0.4f;
        float[] kCache = new float[B * maxT * Hkv * hd], vCache = new float[B * maxT * Hkv * hd];
        Arrays.fill(kCache, Float.NaN); // rows past a slot's length must never be read
        Arrays.fill(vCache, Float.NaN);
        int rowSize = Hkv * hd;
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                for (int e = 0; e < rowSize; e++) {
                    // keys grow along the cache, so the running max moves and the online rescale matters
                    kCache[(b * maxT + t) * rowSize + e] = (float) ((rnd.nextDouble() * 2 - 1) * (1 + t / 30.0));
                    vCache[(b * maxT + t) * rowSize + e] = (float) (rnd.nextDouble() * 2 - 1);
                }
            }
        }
        float[] q = randomFloats(rnd, B * Hq * hd, 1), out = new float[B * Hq * hd];
        Arrays.fill(out, -7f);
        Attention.decode(out, q, kCache, vCache, lengths, maxT, Hq, Hkv, hd, scale);
        for (int b = 0; b < B; b++) {
            int len = lengths[b];
            float[] slotOut = Arrays.copyOfRange(out, b * Hq * hd, (b + 1) * Hq * hd);
            if (len == 0) {
                for (float x : slotOut) assertEquals(-7f, x, "empty slot must be left alone");
                continue;
            }
            float[] fq = randomFloats(rnd, len * Hq * hd, 1); // earlier query rows do not matter for the last one
            System.arraycopy(q, b * Hq * hd, fq, (len - 1) * Hq * hd, Hq * hd);
            float[] fk = Arrays.copyOfRange(kCache, b * maxT * rowSize, (b * maxT + len) * rowSize);
            float[] fv = Arrays.copyOfRange(vCache, b * maxT * rowSize, (b * maxT + len) * rowSize);
            float[] fout = new float[len * Hq * hd], flse = new float[len * Hq];
            Attention.forward(fout, flse, fq, fk, fv, new int[] {0, len}, Hq, Hkv, hd, scale);
            float[] lastRow = Arrays.copyOfRange(fout, (len - 1) * Hq * hd, len * Hq * hd);
            for (int i = 0; i < lastRow.length; i++) assertEquals(lastRow[i], slotOut[i], 2e-6, "slot " + b + " element " + i);
        }
    }

    @Test
    void badShapesAreRejected() {
        float[] a = new float[64];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Attention.forward(a, a, a, a, a, new int[] {0, 2}, 3, 2, 4, 1f));
        assertTrue(e.getMessage().contains("multiple of Hkv"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Attention.forward(a, a, a, a, a, new int[] {0, 3, 2}, 2, 1, 4, 1f));
        assertTrue(e.getMessage().contains("must not decrease"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Attention.forward(a, a, a, a, a, new int[] {0, 9}, 2, 1, 4, 1f));
        assertTrue(e.getMessage().contains("q needs at least 72"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Attention.decode(a, a, a, a, new int[] {5}, 4, 2, 1, 4, 1f));
        assertTrue(e.getMessage().contains("maxT = 4"), e.getMessage());
    }
}
