package rift.kernels.cuda;

import java.util.Arrays;
import java.util.Locale;
import rift.kernels.Tensor;

/**
 * A few timings of the hot ops at training sizes on the GPU (ParityMain --bench): the LM head
 * forward + backward, attention forward + backward, a linear layer forward + backward, in fp32 and
 * bf16 storage. Median of 3 timed runs after one warm-up, with the stream synchronised around each.
 * These are first numbers for the integrator, not a tuned benchmark.
 */
final class ParityBench {
    private ParityBench() {}

    static void run() {
        System.out.println();
        System.out.println("bench (median of 3 after a warm-up; TFLOP/s counts the GEMM-shaped work only)");
        for (DType storage : DType.values()) {
            try (CudaBackend b = new CudaBackend(storage == DType.F32 ? CudaBackend.Options.fp32() : CudaBackend.Options.bf16())) {
                lmHead(b, storage);
                if (storage == DType.BF16) {
                    try {
                        headTilings(b);
                    } catch (RuntimeException e) { // its own guard, like the fold's
                        System.out.println("bench LM head tilings failed: " + e);
                    }
                }
                if (storage == DType.F32) {
                    try {
                        launchOverhead(b);
                        logProbFold(b);
                    } catch (RuntimeException e) { // its own guard: the other timings still run
                        System.out.println("bench log-prob fold failed: " + e);
                    }
                }
                attention(b, storage);
                linear(b, storage);
                if (storage == DType.BF16) rmsNormBackward(b);
            } catch (RuntimeException e) {
                System.out.println("bench " + storage + " failed: " + e);
            }
        }
    }

    private static Tensor filled(CudaBackend b, DType t, long seed, float scale, int... shape) {
        Tensor x = b.zeros(t, shape);
        float[] data = new float[Math.toIntExact(x.numel())];
        long s = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < data.length; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            data[i] = ((s >>> 40) / (float) (1 << 24) * 2 - 1) * scale;
        }
        b.upload(x, data);
        return x;
    }

    private static double medianMs(CudaBackend b, Runnable op) {
        op.run();
        b.synchronize();
        double[] t = new double[3];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            op.run();
            b.synchronize();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[1];
    }

    private static void report(String what, DType t, double ms, double flops) {
        System.out.printf(Locale.ROOT, "  %-5s %-58s %9.2f ms %8.1f TFLOP/s%n", t, what, ms, flops / ms / 1e9);
    }

    /** Random LM head operands (h [N, D], norm weight, W [V, D] in t), zeroed gradients, targets and dLogp = -1/N. */
    private record Head(Tensor h, Tensor nw, Tensor w, Tensor dh, Tensor dn, Tensor dW, int[] targets, float[] dLogp) {
        static Head of(CudaBackend b, DType t, long seed, int N, int D, int V) {
            int[] targets = new int[N];
            for (int i = 0; i < N; i++) targets[i] = (i * 7919) % V;
            float[] dLogp = new float[N];
            Arrays.fill(dLogp, -1f / N);
            return new Head(filled(b, t, seed, 2, N, D), filled(b, t, seed + 1, 1, D), filled(b, t, seed + 2, 0.05f, V, D), b.zeros(t, N, D),
                    b.zeros(DType.F32, D), b.zeros(DType.F32, V, D), targets, dLogp);
        }

        rift.kernels.Backend.HeadResult forward(CudaBackend b, boolean forBackward) {
            return forBackward ? b.lmHead(h, nw, 1e-6f, w, targets, true, false) : b.lmHeadNoGrad(h, nw, 1e-6f, w, targets, true, false);
        }

        void forwardBackward(CudaBackend b) {
            b.lmHeadBackward(dh, dn, dW, dLogp, null, forward(b, true), h, nw, w, targets);
        }

        void free(CudaBackend b) {
            for (Tensor x : new Tensor[] {h, nw, w, dh, dn, dW}) b.free(x);
        }
    }

    private static void lmHead(CudaBackend b, DType t) {
        int N = 4096, D = 2048, V = 32768;
        Head x = Head.of(b, t, 1, N, D, V);
        double fwd = medianMs(b, () -> x.forward(b, true));
        Runnable step = () -> x.forwardBackward(b);
        double kept = medianMs(b, step); // the backward reuses the forward's logits (they fit the budget here)
        long budget = b.headKeepLogitsBytes;
        b.headKeepLogitsBytes = 0;
        double recomputed;
        try {
            recomputed = medianMs(b, step);
        } finally {
            b.headKeepLogitsBytes = budget;
        }
        double gemm = 2.0 * N * D * V;
        report("lmHead fwd N=4096 D=2048 V=32768", t, fwd, gemm);
        report("lmHead fwd + bwd, logits kept (3 GEMMs)", t, kept, 3 * gemm);
        report("lmHead fwd + bwd, logits recomputed (4 GEMMs)", t, recomputed, 4 * gemm);
    }

    /**
     * The LM head at Qwen3-0.6B's shape (N=4096, D=1024, V=151,936, bf16) under several tilings (rows x
     * vocabulary chunk per fp32 logits block): the no-grad forward (log-probs: one reused block, which L2
     * (50 MB on an H100/H200) can hold once it is small enough, against fewer, larger GEMMs) and forward +
     * backward with the logits kept. The default is 2048 x 16384; -Drift.cuda.headTiles picks another.
     */
    private static void headTilings(CudaBackend b) {
        int N = 4096, D = 1024, V = 151936;
        Head x = Head.of(b, DType.BF16, 4, N, D, V);
        int rowTile = b.headRowTile, chunk = b.headVocabChunk;
        double gemm = 2.0 * N * D * V;
        try {
            for (int[] tiling : new int[][] {{2048, 16384}, {4096, 8192}, {2048, 8192}, {2048, 4096}, {1024, 8192}, {1024, 4096},
                    {512, 8192}, {4096, 2048}}) {
                b.headRowTile = tiling[0];
                b.headVocabChunk = tiling[1];
                double fwd = medianMs(b, () -> x.forward(b, false));
                double step = medianMs(b, () -> x.forwardBackward(b));
                String block = String.format(Locale.ROOT, "%dx%d (%d MB block)", tiling[0], tiling[1], 4L * tiling[0] * tiling[1] >> 20);
                report("0.6B head no-grad fwd, tiles " + block, DType.BF16, fwd, gemm);
                report("0.6B head fwd + bwd kept, tiles " + block, DType.BF16, step, 3 * gemm);
            }
        } finally {
            b.headRowTile = rowTile;
            b.headVocabChunk = chunk;
            x.free(b);
        }
        headMemoryBound(b, D, V);
    }

    /**
     * The no-grad head at 64 rows, where reading W (311 MB) is the work: GB/s of W against the copy bandwidth, for
     * vocabulary chunks from the default 16384 up to the whole vocabulary (fewer, longer GEMMs and folds; the
     * 64-row block stays small enough for L2 throughout).
     */
    private static void headMemoryBound(CudaBackend b, int D, int V) {
        int N = 64;
        Head x = Head.of(b, DType.BF16, 7, N, D, V);
        int rowTile = b.headRowTile, chunk = b.headVocabChunk;
        try {
            for (int c : new int[] {16384, 32768, 65536, V}) {
                b.headVocabChunk = c;
                double ms = medianMs(b, () -> x.forward(b, false));
                double wBytes = 2.0 * V * D;
                System.out.printf(Locale.ROOT, "  %-5s %-58s %9.3f ms %8.0f GB/s of W%n", DType.BF16,
                        "0.6B head no-grad fwd, 64 rows, tiles 64x" + c, ms, wBytes / ms / 1e6);
            }
        } finally {
            b.headRowTile = rowTile;
            b.headVocabChunk = chunk;
            x.free(b);
        }
    }

    /**
     * The host cost of one kernel launch, through FFM and through JCuda: 20000 launches of a one-element
     * kernel queued back to back, then one synchronisation (the GPU runs each in a few microseconds, so
     * the time per launch is what the host spends issuing it).
     */
    private static void launchOverhead(CudaBackend b) {
        if (!(b.dev instanceof CudaDevice d)) return;
        Tensor x = b.zeros(DType.F32, 1);
        boolean was = d.ffmLaunch;
        int n = 20000;
        try {
            for (boolean ffm : new boolean[] {true, false}) {
                if (ffm && !FfmLaunch.available()) {
                    System.out.println("  kernel launch through FFM: not available (cuLaunchKernel did not bind)");
                    continue;
                }
                d.ffmLaunch = ffm;
                double ms = medianMs(b, () -> {
                    for (int i = 0; i < n; i++) b.scale(x, 1f);
                });
                System.out.printf(Locale.ROOT, "  %-5s %-58s %9.2f us per launch%n", "", "kernel launch, host cost, through " + (ffm ? "FFM" : "JCuda"),
                        1000 * ms / n);
            }
        } finally {
            d.ffmLaunch = was;
            b.free(x);
        }
    }

    /**
     * The memory-bound half of the fused log-prob path: rift_lm_fold reading one fp32 logits block (the
     * LM head's tile x chunk, 128 MiB, larger than L2) into the running max / sum-exp / entropy sums,
     * as GB/s of logits read and as a share of a device-to-device copy (read + write) measured here.
     */
    private static void logProbFold(CudaBackend b) {
        int rows = 2048, cw = 16384;
        Tensor block = filled(b, DType.F32, 11, 8, rows, cw);
        int[] targets = new int[rows];
        for (int i = 0; i < rows; i++) targets[i] = (i * 7919) % cw;
        long tg = b.ints("bench.targets", targets, rows).address;
        Gpu.Memory tdot = b.scratch("bench.tdot", 4L * rows), rowMax = b.scratch("bench.max", 4L * rows), sumExp = b.scratch("bench.S", 8L * rows),
                sumShifted = b.scratch("bench.T", 8L * rows), tlogit = b.scratch("bench.tlogit", 4L * rows), above = b.scratch("bench.above", 4L * rows);
        b.dev.zero(tdot, 4L * rows);
        b.launch(Kernels.LM_INIT, CudaBackend.grid(rows), 1, 0, rowMax.address, sumExp.address, sumShifted.address, tlogit.address,
                above.address, rows);
        long addr = ((CudaTensor) block).address();
        double fold = medianMs(b, () -> b.launch(Kernels.LM_FOLD, rows, 1, 0, addr, cw, 0, 0, tg, tdot.address, rowMax.address,
                sumExp.address, sumShifted.address, tlogit.address, above.address));
        Tensor src = b.zeros(DType.F32, 64, 1 << 20), dst = b.zeros(DType.F32, 64, 1 << 20); // 256 MiB each
        double copy = medianMs(b, () -> b.copy(dst, src));
        double foldGbs = 4.0 * rows * cw / fold / 1e6, copyGbs = 2.0 * 4 * 64 * (1 << 20) / copy / 1e6;
        System.out.printf(Locale.ROOT, "  F32   %-58s %9.3f ms %8.0f GB/s (%.0f %% of the %.0f GB/s device copy)%n",
                "log-prob fold of a 2048 x 16384 logits block (memory-bound)", fold, foldGbs, 100 * foldGbs / copyGbs, copyGbs);
        b.free(block);
        b.free(src);
        b.free(dst);
    }

    private static void attention(CudaBackend b, DType t) {
        int N = 4096, hq = 16, hkv = 8, hd = 128;
        int[] seq = {0, 1024, 2048, 3072, 4096};
        float scale = (float) (1 / Math.sqrt(hd));
        Tensor q = filled(b, t, 4, 1, N, hq * hd), k = filled(b, t, 5, 1, N, hkv * hd), v = filled(b, t, 6, 1, N, hkv * hd);
        Tensor o = b.zeros(t, N, hq * hd), lse = b.zeros(DType.F32, N, hq), dOut = filled(b, t, 7, 1, N, hq * hd);
        Tensor dq = b.zeros(t, N, hq * hd), dk = b.zeros(t, N, hkv * hd), dv = b.zeros(t, N, hkv * hd);
        double fwd = medianMs(b, () -> b.attention(o, lse, q, k, v, seq, hq, hkv, hd, scale));
        double bwd = medianMs(b, () -> b.attentionBackward(dq, dk, dv, dOut, o, lse, q, k, v, seq, hq, hkv, hd, scale));
        double causal = 4.0 * 1024 * 1025 / 2 * hq * hd * 4; // 4 seqs x causal pairs x (QK^T + PV) x 2 flops
        String chosen = System.getProperty("rift.cuda.attention"); // gpu-check's CUDA-core fallback sets simt for the whole run
        String path = t != DType.BF16 ? "" : chosen == null ? " (tensor cores)" : " (rift.cuda.attention=" + chosen + ")";
        report("attention fwd 4x1024 tokens, 16/8 heads, hd 128" + path, t, fwd, causal);
        report("attention bwd (dq pass + dk/dv pass)" + path, t, bwd, 2.5 * causal);
        if (t == DType.BF16) { // the fa2 forward and backward, and the fp32 CUDA-core kernels, on the same bf16 inputs
            try {
                System.setProperty("rift.cuda.attention", "fa2");
                double ff = medianMs(b, () -> b.attention(o, lse, q, k, v, seq, hq, hkv, hd, scale));
                double fb = medianMs(b, () -> b.attentionBackward(dq, dk, dv, dOut, o, lse, q, k, v, seq, hq, hkv, hd, scale));
                report("attention fwd, fa2 kernel (rift.cuda.attention=fa2)", t, ff, causal);
                report("attention bwd, fa2 kernels (dq pass + dk/dv pass)", t, fb, 2.5 * causal);
                System.setProperty("rift.cuda.attention", "simt");
                double sf = medianMs(b, () -> b.attention(o, lse, q, k, v, seq, hq, hkv, hd, scale));
                double sb = medianMs(b, () -> b.attentionBackward(dq, dk, dv, dOut, o, lse, q, k, v, seq, hq, hkv, hd, scale));
                report("attention fwd, CUDA-core kernels (rift.cuda.attention=simt)", t, sf, causal);
                report("attention bwd, CUDA-core kernels", t, sb, 2.5 * causal);
            } finally {
                if (chosen == null) System.clearProperty("rift.cuda.attention");
                else System.setProperty("rift.cuda.attention", chosen);
            }
        }
    }

    private static void linear(CudaBackend b, DType t) {
        int n = 4096, in = 2048, out = 8192;
        Tensor x = filled(b, t, 8, 1, n, in), w = filled(b, t, 9, 0.05f, out, in), y = b.zeros(t, n, out);
        Tensor dy = filled(b, t, 10, 1, n, out), dx = b.zeros(t, n, in), dw = b.zeros(DType.F32, out, in);
        double fwd = medianMs(b, () -> b.linear(y, x, w, null));
        double bwd = medianMs(b, () -> b.linearBackward(dx, dw, null, dy, x, w));
        double f = 2.0 * n * in * out;
        report("linear fwd 4096 x 2048 -> 8192", t, fwd, f);
        report("linear bwd (dx, dw fp32)", t, bwd, 2 * f);
    }

    /**
     * RMSNorm backward (dx pass and the dw column sums) at Qwen3-0.6B's shapes in bf16: the layer norms
     * (4096 tokens x 1024) and the per-head q norm (4096 tokens x 16 heads = 65,536 rows of 128), four of
     * them per layer. GB/s counts one pass over dOut and x per kernel pass and dx's read and write.
     */
    private static void rmsNormBackward(CudaBackend b) {
        for (int[] shape : new int[][] {{4096, 1024}, {65536, 128}}) {
            int n = shape[0], d = shape[1];
            Tensor x = filled(b, DType.BF16, 12, 1, n, d), g = filled(b, DType.BF16, 13, 1, n, d), w = filled(b, DType.BF16, 14, 1, d);
            Tensor rstd = filled(b, DType.F32, 15, 1, n, 1), dx = b.zeros(DType.BF16, n, d), dw = b.zeros(DType.F32, d);
            double ms = medianMs(b, () -> b.rmsNormBackward(dx, dw, g, x, w, rstd));
            double bytes = 2.0 * n * d * (2 + 2) + 2.0 * n * d * 2;
            System.out.printf(Locale.ROOT, "  %-5s %-58s %9.3f ms %8.0f GB/s%n", DType.BF16,
                    "rmsNormBackward " + n + " x " + d + " (dx and dw)", ms, bytes / ms / 1e6);
            for (Tensor t : new Tensor[] {x, g, w, rstd, dx, dw}) b.free(t);
        }
    }
}
