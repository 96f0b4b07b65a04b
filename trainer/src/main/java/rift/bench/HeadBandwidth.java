package rift.bench;

import java.util.Locale;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.util.Rng;

/**
 * The fused log-prob kernel (final RMSNorm + LM head + log-softmax, {@link Backend#lmHead}) timed alone
 * at the log-prob workload's shape, its device-memory traffic ({@link HeadTraffic}) turned into achieved
 * bandwidth, and the GPU's bandwidth measured in the same run with a device-to-device copy (read +
 * write counted), beside the datasheet figure when the GPU is known ({@link GpuSpecs}).
 */
final class HeadBandwidth {
    private HeadBandwidth() {}

    /**
     * Rows of the memory-bound measurement: with 64 rows the head's GEMM does 128 FLOP per bf16 weight it reads,
     * 64 per byte, well under the 200-300 FLOP per byte at which an H100/H200 turns compute-bound, so the time is
     * W's read, and the kernel's share of the copy bandwidth is the figure that says how good it is. (At the
     * log-prob workload's thousands of rows the head is a compute-bound GEMM instead.)
     */
    static final int MEMORY_BOUND_ROWS = 64;

    /** What {@link #measure} found; rowTile x vocabChunk is the logits block's shape at this N and V. */
    record Result(HeadTraffic traffic, int rowTile, int vocabChunk, double headSeconds, double copyBytesPerS, GpuSpecs specs, String gpu,
                  long l2Bytes) {
        double bytesPerS() {
            return traffic.total() / headSeconds;
        }

        /** The least any implementation moves (h in, W once, per-row outputs) per second. */
        double fusedBytesPerS() {
            return traffic.fused() / headSeconds;
        }
    }

    /** Times be.lmHeadNoGrad (the log-prob pass's head: no backward follows) over n random hidden rows with the given head weights (meant for CUDA backends; runs on any). */
    static Result measure(Backend be, Tensor normW, Tensor w, float eps, int[] targets, int warmup, int runs) {
        return measure(be, normW, w, eps, targets, warmup, runs, 1 << 28);
    }

    static Result measure(Backend be, Tensor normW, Tensor w, float eps, int[] targets, int warmup, int runs, int copyFloats) {
        return measure(be, normW, w, eps, targets, warmup, runs, () -> copyBandwidth(be, Math.max(3, runs), copyFloats));
    }

    /** {@link #measure} at other rows, against the copy bandwidth an earlier measurement of the same GPU found. */
    static Result measureBeside(Result earlier, Backend be, Tensor normW, Tensor w, float eps, int[] targets, int warmup, int runs) {
        return measure(be, normW, w, eps, targets, warmup, runs, earlier::copyBytesPerS);
    }

    private static Result measure(Backend be, Tensor normW, Tensor w, float eps, int[] targets, int warmup, int runs,
                                  java.util.function.DoubleSupplier copyBytesPerS) {
        int v = w.shape()[0], d = w.shape()[1], n = targets.length;
        Tensor h = be.zeros(n, d);
        float[] hv = new float[n * d];
        Rng rng = new Rng(11);
        for (int i = 0; i < hv.length; i++) hv[i] = (float) rng.nextGaussian();
        be.upload(h, hv);
        int bytes = be.lowPrecisionStorage() ? 2 : 4;
        int[] tiles = Cuda.headTiles(be);
        HeadTraffic traffic = HeadTraffic.of(n, d, v, bytes, bytes, tiles[0], tiles[1]);
        // lmHead ends by copying the log-probs to the host, which waits for the stream: its wall time is the kernel's
        Timing.Stats t = Timing.time(() -> be.lmHeadNoGrad(h, normW, eps, w, targets, false, false), warmup, runs);
        double copy = copyBytesPerS.getAsDouble();
        String gpu = Cuda.deviceName(be);
        return new Result(traffic, Math.min(tiles[0], n), Math.min(tiles[1], v), t.median(), copy, GpuSpecs.of(gpu), gpu, Cuda.l2Bytes(be));
    }

    /** Bytes per second of a device-to-device copy of floats fp32 values (read + write counted), median of runs after one warm-up. */
    static double copyBandwidth(Backend be, int runs, int floats) {
        Tensor a = be.zerosF32(floats), b = be.zerosF32(floats);
        Timing.Stats t = Timing.time(() -> {
            be.copy(b, a);
            Cuda.synchronize(be);
        }, 1, runs);
        Cuda.free(be, a);
        Cuda.free(be, b);
        return 2.0 * 4 * floats / t.median();
    }

    /** The memory-bound measurement: the useful bytes (W once, h, the per-row outputs) over the time, against a copy. */
    static void printMemoryBound(Result r) {
        HeadTraffic t = r.traffic();
        double tbs = r.fusedBytesPerS() / 1e12, copy = r.copyBytesPerS() / 1e12;
        System.out.printf(Locale.ROOT, "fused log-prob kernel at a memory-bound shape, N=%d D=%d V=%d (%.0f MB of useful reads, W's nearly all):"
                        + " %.3f ms, %.2f TB/s"
                        + " of useful reads = %.1f %% of the measured copy bandwidth %.2f TB/s%n", t.n(), t.d(), t.v(), t.fused() / 1e6,
                1000 * r.headSeconds(), tbs, 100 * tbs / copy, copy);
    }

    static void print(Result r) {
        HeadTraffic t = r.traffic();
        double ms = 1000 * r.headSeconds(), tbs = r.bytesPerS() / 1e12, copy = r.copyBytesPerS() / 1e12;
        System.out.printf(Locale.ROOT, "fused log-prob kernel (final norm + LM head + log-softmax) alone, N=%d D=%d V=%d, %s weights: %.3f ms,"
                + " %.1f TFLOP/s%n", t.n(), t.d(), t.v(), t.wBytes() == 2 ? "bf16" : "fp32", ms, t.flops() / r.headSeconds() / 1e12);
        System.out.printf(Locale.ROOT, "  device-memory traffic of this design %.2f GB: W %d x %.0f MB, fp32 logits blocks written + read %.2f GB"
                        + " (blocks of %d x %d, %.0f MB), xn %d x %.1f MB, h + xn + target rows %.1f MB, per-row state %.1f MB%n", t.total() / 1e9,
                t.tiles(), t.weightReads() / (double) t.tiles() / 1e6, t.logitsRoundTrip() / 1e9, r.rowTile(), r.vocabChunk(),
                4.0 * r.rowTile() * r.vocabChunk() / (1 << 20), t.chunks(), t.xnReads() / (double) t.chunks() / 1e6,
                (t.hIn() + t.xnOut() + t.targetDot()) / 1e6, t.rows() / 1e6);
        long block = 4L * r.rowTile() * r.vocabChunk();
        if (r.l2Bytes() > 0 && block <= r.l2Bytes()) {
            System.out.printf(Locale.ROOT, "  (a %.0f MB logits block fits this GPU's %d MB L2: its round trip may stay on chip, so the traffic and the"
                    + " bandwidth below are upper bounds)%n", block / 1048576.0, r.l2Bytes() >> 20);
        }
        System.out.printf(Locale.ROOT, "  achieved %.2f TB/s = %.1f %% of this GPU's measured copy bandwidth %.2f TB/s%s%n", tbs, 100 * tbs / copy, copy,
                r.specs() == null ? " (" + r.gpu() + ": no datasheet figure known)"
                        : String.format(Locale.ROOT, " (%.1f %% of the %s datasheet %.2f TB/s)", 100 * tbs / r.specs().hbmTbPerS(), r.specs().model(),
                        r.specs().hbmTbPerS()));
        System.out.printf(Locale.ROOT, "  a kernel keeping the logits on chip would need %.2f GB (h in, W once, per-row out): %.2f TB/s at this time%n",
                t.fused() / 1e9, t.fused() / r.headSeconds() / 1e12);
    }

    /** The CUDA-only calls, in their own class so that the CPU path never loads a rift.kernels.cuda class. */
    static final class Cuda {
        private Cuda() {}

        /** The LM head tiling Backends.create gives the CUDA backend (its default options). */
        static int[] headTiles(Backend be) {
            var o = be.lowPrecisionStorage() ? rift.kernels.cuda.CudaBackend.Options.bf16() : rift.kernels.cuda.CudaBackend.Options.fp32();
            return new int[] {o.headRowTile(), o.headVocabChunk()};
        }

        /** The CUDA backend's graph status ("off", "on: N captured, M replayed", or why they went off), null elsewhere. */
        static String graphStatus(Backend be) {
            return be instanceof rift.kernels.cuda.CudaBackend c ? c.graphStatus() : null;
        }

        static long l2Bytes(Backend be) {
            return be instanceof rift.kernels.cuda.CudaBackend c ? c.l2Bytes() : 0;
        }

        static void synchronize(Backend be) {
            if (be instanceof rift.kernels.cuda.CudaBackend c) c.synchronize();
        }

        /** Runs work with the CUDA backend's op profile on and returns it; null (work not run) on another backend. */
        static rift.kernels.cuda.OpProfile profile(Backend be, boolean synchronised, Runnable work) {
            if (!(be instanceof rift.kernels.cuda.CudaBackend c)) return null;
            var p = new rift.kernels.cuda.OpProfile(synchronised);
            c.profile(p);
            try {
                work.run();
            } finally {
                c.profile(null);
            }
            return p;
        }

        static void free(Backend be, Tensor t) {
            if (be instanceof rift.kernels.cuda.CudaBackend c) c.free(t);
        }

        /** "NVIDIA H200 (sm_90, 132 SMs, ...)": the name part, or null. */
        static String deviceName(Backend be) {
            if (!(be instanceof rift.kernels.cuda.CudaBackend c)) return null;
            String s = c.describe();
            int paren = s.indexOf(" (");
            return paren > 0 ? s.substring(0, paren) : s;
        }
    }
}
