package rift.kernels.cpu;

import java.util.Arrays;
import java.util.Random;

/**
 * Timing of Attention forward and backward at the experiment's shapes (not a test; run by hand; with
 * one thread it reports thread CPU time, best of 40):
 * java --add-modules jdk.incubator.vector -cp kernels/target/classes:kernels/target/test-classes
 * rift.kernels.cpu.AttentionBench [threads]
 */
public final class AttentionBench {
    private AttentionBench() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Parallel.setThreads(threads);
        System.out.println("threads " + threads + " (" + (threads == 1 ? "thread CPU time" : "wall time")
                + "), vector lanes " + TileMath.L + ", tiles fwd " + AttentionForward.BQ + "x" + AttentionForward.BK + " bwd " + AttentionBackward.BQ + "x" + AttentionBackward.BK
                + (TileMath.WIDE_BLOCKS ? ", 4x4 blocks" : ", 4x2 blocks"));
        bench("tiny  Hq8 Hkv4 hd32 T256 B8", 8, 4, 32, 256, 8);
        bench("small Hq8 Hkv4 hd64 T512 B4", 8, 4, 64, 512, 4);
    }

    private static void bench(String name, int Hq, int Hkv, int hd, int T, int B) {
        int[] lengths = new int[B];
        Arrays.fill(lengths, T);
        int[] seqStart = AttentionReference.seqStart(lengths);
        int n = B * T;
        Random rnd = new Random(1);
        float[] q = AttentionReference.randomFloats(rnd, n * Hq * hd, 1), k = AttentionReference.randomFloats(rnd, n * Hkv * hd, 1);
        float[] v = AttentionReference.randomFloats(rnd, n * Hkv * hd, 1), dout = AttentionReference.randomFloats(rnd, n * Hq * hd, 1);
        float[] out = new float[q.length], lse = new float[n * Hq];
        float[] dq = new float[q.length], dk = new float[k.length], dv = new float[v.length];
        float scale = (float) (1 / Math.sqrt(hd));
        // with one thread the work runs on this thread, so its CPU time is immune to a busy machine
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean cpuClock = Parallel.threads() == 1;
        double fwd = Double.MAX_VALUE, bwd = Double.MAX_VALUE;
        for (int rep = 0; rep < 40; rep++) {
            long t0 = cpuClock ? mx.getCurrentThreadCpuTime() : System.nanoTime();
            Attention.forward(out, lse, q, k, v, seqStart, Hq, Hkv, hd, scale);
            long t1 = cpuClock ? mx.getCurrentThreadCpuTime() : System.nanoTime();
            Attention.backward(dq, dk, dv, dout, out, lse, q, k, v, seqStart, Hq, Hkv, hd, scale);
            long t2 = cpuClock ? mx.getCurrentThreadCpuTime() : System.nanoTime();
            fwd = Math.min(fwd, (t1 - t0) / 1e6);
            bwd = Math.min(bwd, (t2 - t1) / 1e6);
        }
        // useful flops of the causal products: forward 2 (QK, PV), backward 5 (QK, dO V, dV, dQ, dK)
        double causalPairs = (double) B * Hq * T * (T + 1) / 2;
        System.out.printf("%s: forward %.2f ms (%.1f GFLOP/s), backward %.2f ms (%.1f GFLOP/s)%n", name,
                fwd, 4 * causalPairs * hd / fwd / 1e6, bwd, 10 * causalPairs * hd / bwd / 1e6);
    }
}
