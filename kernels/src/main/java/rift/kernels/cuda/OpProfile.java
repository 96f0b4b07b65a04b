package rift.kernels.cuda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a GPU step's time goes, op by op: while a profile is set on a {@link CudaBackend}, the wall time
 * since the previous op's end is added to each op's name at its end.
 *
 * <p>Synchronised (a training step): every op first waits for the GPU, so an op's share is its device
 * time; the waits serialise the host and the GPU, so the total exceeds an unprofiled step by roughly the
 * per-op synchronisation cost times the op count. Not synchronised (a decode step, which the host's
 * launches bound): an op's share is the host time spent issuing it, plus the Java code before it.
 */
public final class OpProfile {
    /**
     * One op's total over the profiled ops, with the useful work its calls reported (GEMM-shaped FLOPs, or the
     * bytes one pass over the operands moves; 0 when not counted).
     */
    public record Entry(String op, double ms, int calls, double flops, double bytes) {
        /** "612 TFLOP/s" or "1450 GB/s" (work over time), or "" when the op reports no work. */
        public String rate() {
            if (ms <= 0) return "";
            if (flops > 0) return String.format(java.util.Locale.ROOT, "%.0f TFLOP/s", flops / ms / 1e9);
            if (bytes > 0) return String.format(java.util.Locale.ROOT, "%.0f GB/s", bytes / ms / 1e6);
            return "";
        }
    }

    private final boolean synchronised;
    private final Map<String, long[]> totals = new LinkedHashMap<>();
    private final Map<String, double[]> work = new LinkedHashMap<>();
    private long last = System.nanoTime();

    public OpProfile(boolean synchronised) {
        this.synchronised = synchronised;
    }

    public boolean synchronised() {
        return synchronised;
    }

    void mark() {
        last = System.nanoTime();
    }

    void add(String op, double flops, double bytes) {
        long now = System.nanoTime();
        long[] t = totals.computeIfAbsent(op, k -> new long[2]);
        t[0] += now - last;
        t[1]++;
        double[] w = work.computeIfAbsent(op, k -> new double[2]);
        w[0] += flops;
        w[1] += bytes;
        last = now;
    }

    /** The ops, most time first. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (var e : totals.entrySet()) {
            double[] w = work.get(e.getKey());
            out.add(new Entry(e.getKey(), e.getValue()[0] / 1e6, (int) e.getValue()[1], w[0], w[1]));
        }
        out.sort((a, b) -> Double.compare(b.ms(), a.ms()));
        return out;
    }

    public double totalMs() {
        double s = 0;
        for (Entry e : entries()) s += e.ms();
        return s;
    }
}
