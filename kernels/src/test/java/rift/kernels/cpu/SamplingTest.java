package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import rift.kernels.Backend;
import rift.kernels.SamplingParams;
import rift.kernels.Tensor;

class SamplingTest {
    private static final float NINF = Float.NEGATIVE_INFINITY;

    /** Rows with what breaks samplers: coarse values (ties), -inf runs, -0 and +0, spikes. */
    private static float[] row(SplittableRandom r, int v) {
        float[] l = new float[v];
        int kind = r.nextInt(4);
        for (int i = 0; i < v; i++) {
            double x = r.nextGaussian() * 3;
            l[i] = switch (kind) {
                case 0 -> (float) x;
                case 1 -> Math.round(x * 2) / 2f; // many exact ties
                case 2 -> r.nextInt(5) == 0 ? NINF : (float) x;
                default -> r.nextInt(7) == 0 ? (r.nextBoolean() ? -0f : 0f) : (float) x - 4;
            };
        }
        if (r.nextInt(3) == 0) l[r.nextInt(v)] += 12; // one dominant token
        return l;
    }

    private static List<SamplingParams> mixes(SplittableRandom r, int v) {
        List<SamplingParams> out = new ArrayList<>();
        float[] temps = {0f, 0.3f, 1f, 1.7f};
        int[] ks = {0, 1, 3, Math.max(1, v - 1), v, v + 5};
        float[] ps = {1f, 0.95f, 0.5f, 0.1f};
        float[] mins = {0f, 0.05f, 0.3f};
        for (float t : temps) for (int k : ks) for (float p : ps) for (float m : mins) out.add(new SamplingParams(t, k, p, m));
        return out;
    }

    @Test
    void pickEqualsTheFormerSamplerBitForBit() {
        SplittableRandom r = new SplittableRandom(11);
        int rows = 0;
        for (int v : new int[] {1, 2, 7, 64, 300}) {
            for (int rep = 0; rep < 3; rep++) {
                float[] l = row(r, v);
                for (SamplingParams p : mixes(r, v)) {
                    int candidates = rep == 0 ? v : 1 + r.nextInt(v);
                    double u = switch (r.nextInt(6)) {
                        case 0 -> 0.0;
                        case 1 -> Math.nextDown(1.0);
                        default -> r.nextDouble();
                    };
                    FormerSampler.Pick want = FormerSampler.sample(p.temperature(), p.topK(), p.topP(), p.minP(), l, 0, v, candidates, u);
                    float[] logp = new float[1];
                    int token = Sampling.pick(l, 0, v, candidates, p, u, logp, 0);
                    String at = p + " v " + v + " candidates " + candidates + " u " + u;
                    assertEquals(want.token(), token, at);
                    assertEquals(Float.floatToRawIntBits(want.logp()), Float.floatToRawIntBits(logp[0]), at);
                    rows++;
                }
            }
        }
        assertTrue(rows > 4000, "rows " + rows);
    }

    /** Hand-worked semantics, independent of any implementation's arithmetic. */
    @Test
    void filtersKeepWhatTheDefinitionsSay() {
        // p = 0.5, 0.3, 0.2 at T = 1
        float[] l = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};
        float[] lp = new float[1];
        SamplingParams topP = new SamplingParams(1f, 0, 0.6f, 0f); // keeps {0, 1}: 0.5 < 0.6 <= 0.8
        assertEquals(0, Sampling.pick(l, 0, 3, 3, topP, 0.6, lp, 0)); // 0.6 * 0.8 = 0.48 < 0.5
        assertEquals(1, Sampling.pick(l, 0, 3, 3, topP, 0.65, lp, 0)); // 0.52 >= 0.5
        assertEquals(1, Sampling.pick(l, 0, 3, 3, topP, Math.nextDown(1.0), lp, 0)); // never id 2
        assertEquals(Math.log(0.3), lp[0], 1e-6); // normalised over the whole row, not the kept set
        SamplingParams minP = new SamplingParams(1f, 0, 1f, 0.5f); // drops p < 0.25: id 2
        assertEquals(1, Sampling.pick(l, 0, 3, 3, minP, Math.nextDown(1.0), lp, 0));
        SamplingParams topK = new SamplingParams(1f, 1, 1f, 0f);
        assertEquals(0, Sampling.pick(l, 0, 3, 3, topK, Math.nextDown(1.0), lp, 0));
        // plain: u = 0.9 lands in id 2's slice [0.8, 1)
        assertEquals(2, Sampling.pick(l, 0, 3, 3, new SamplingParams(1f, 0, 1f, 0f), 0.9, lp, 0));
        assertEquals(Math.log(0.2), lp[0], 1e-6);
    }

    @Test
    void greedyTiesCandidatesAndInfinities() {
        float[] lp = new float[1];
        float[] tie = {1f, 3f, 0f, 3f, 3f};
        assertEquals(1, Sampling.pick(tie, 0, 5, 5, SamplingParams.GREEDY, 0.5, lp, 0)); // lowest id on ties
        // top-k 2 at a three-way tie keeps the two lowest ids: u near 1 draws the second
        assertEquals(3, Sampling.pick(tie, 0, 5, 5, new SamplingParams(1f, 2, 1f, 0f), Math.nextDown(1.0), lp, 0));
        // ids past the candidates are never drawn but count in the normalisation
        float[] big = {0f, 0f, 10f};
        assertEquals(1, Sampling.pick(big, 0, 3, 2, new SamplingParams(1f, 0, 1f, 0f), Math.nextDown(1.0), lp, 0));
        assertEquals(-(10 + Math.log(1 + 2 * Math.exp(-10))), lp[0], 1e-5);
        // one finite id among -inf: always drawn, whatever u
        float[] one = {NINF, NINF, 2f, NINF};
        for (double u : new double[] {0, 0.5, Math.nextDown(1.0)}) {
            assertEquals(2, Sampling.pick(one, 0, 4, 4, new SamplingParams(1f, 0, 1f, 0f), u, lp, 0));
            assertEquals(2, Sampling.pick(one, 0, 4, 4, new SamplingParams(0.7f, 2, 0.9f, 0.1f), u, lp, 0));
            assertEquals(0f, lp[0], 1e-6);
        }
        // -0 and +0: greedy takes the lower id (they are equal); the sort order puts +0 first (Float.compare)
        float[] zeros = {-1f, -0f, 0f};
        assertEquals(1, Sampling.pick(zeros, 0, 3, 3, SamplingParams.GREEDY, 0, lp, 0));
        assertEquals(2, Sampling.pick(zeros, 0, 3, 3, new SamplingParams(1f, 1, 1f, 0f), 0, lp, 0));
    }

    @Test
    void orderIsFloatCompareDescendingThenId() {
        SplittableRandom r = new SplittableRandom(5);
        float[] l = new float[500];
        for (int i = 0; i < l.length; i++) {
            l[i] = switch (r.nextInt(6)) {
                case 0 -> NINF;
                case 1 -> Float.POSITIVE_INFINITY;
                case 2 -> -0f;
                case 3 -> 0f;
                default -> Math.round(r.nextGaussian() * 4) / 4f;
            };
        }
        int[] order = Sampling.order(l, 0, l.length);
        for (int k = 1; k < order.length; k++) {
            int a = order[k - 1], b = order[k];
            int c = Float.compare(l[b], l[a]);
            assertTrue(c < 0 || (c == 0 && a < b), "rank " + k + ": " + a + " (" + l[a] + ") before " + b + " (" + l[b] + ")");
        }
    }

    /** The CPU backend's batched op, the interface's host default, and per-row picks agree, at 1 and 2 threads. */
    @Test
    void batchedOpEqualsPerRowPicks() {
        SplittableRandom r = new SplittableRandom(3);
        int rows = 9, v = 257;
        float[] data = new float[rows * v];
        for (int b = 0; b < rows; b++) System.arraycopy(row(r, v), 0, data, b * v, v);
        double[] u = new double[rows];
        for (int b = 0; b < rows; b++) u[b] = r.nextDouble();
        CpuBackend cpu = new CpuBackend();
        Tensor logits = cpu.zeros(rows, v);
        cpu.upload(logits, data);
        Backend hostDefault = viaInterfaceDefault(cpu);
        int saved = Parallel.threads();
        try {
            for (SamplingParams p : List.of(SamplingParams.GREEDY, new SamplingParams(1f, 0, 1f, 0f), new SamplingParams(0.8f, 20, 0.9f, 0.02f))) {
                int[] want = new int[rows];
                float[] wantLogp = new float[rows];
                for (int b = 0; b < rows; b++) want[b] = Sampling.pick(data, b * v, v, v - 3, p, u[b], wantLogp, b);
                for (int threads : new int[] {1, 2}) {
                    Parallel.setThreads(threads);
                    Backend.Picks got = cpu.sample(logits, v - 3, p, u);
                    assertArrayEquals(want, got.tokens(), p + " threads " + threads);
                    assertArrayEquals(wantLogp, got.logp(), p + " threads " + threads);
                }
                Backend.Picks viaDefault = hostDefault.sample(logits, v - 3, p, u);
                assertArrayEquals(want, viaDefault.tokens());
                assertArrayEquals(wantLogp, viaDefault.logp());
                // a prefix view samples only its rows
                assertArrayEquals(java.util.Arrays.copyOf(want, 4), cpu.sample(logits.rows(4), v - 3, p, u).tokens());
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        CpuBackend cpu = new CpuBackend();
        Tensor logits = cpu.zeros(2, 5);
        SamplingParams p = new SamplingParams(1f, 0, 1f, 0f);
        assertThrows(IllegalArgumentException.class, () -> cpu.sample(logits, 0, p, new double[2]));
        assertThrows(IllegalArgumentException.class, () -> cpu.sample(logits, 6, p, new double[2]));
        assertThrows(IllegalArgumentException.class, () -> cpu.sample(logits, 5, p, new double[1]));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(-1f, 0, 1f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, -1, 1f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, 0, 0f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, 0, 1f, 1f));
    }

    /** A Backend whose sample() is the interface's default (download, then pick per row) and the rest the CPU's. */
    private static Backend viaInterfaceDefault(CpuBackend cpu) {
        InvocationHandler h = (proxy, method, args) -> method.getName().equals("sample")
                ? InvocationHandler.invokeDefault(proxy, method, args)
                : method.invoke(cpu, args);
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, h);
    }
}
