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
    /** One op's total over the profiled ops. */
    public record Entry(String op, double ms, int calls) {}

    private final boolean synchronised;
    private final Map<String, long[]> totals = new LinkedHashMap<>();
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

    void add(String op) {
        long now = System.nanoTime();
        long[] t = totals.computeIfAbsent(op, k -> new long[2]);
        t[0] += now - last;
        t[1]++;
        last = now;
    }

    /** The ops, most time first. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (var e : totals.entrySet()) out.add(new Entry(e.getKey(), e.getValue()[0] / 1e6, (int) e.getValue()[1]));
        out.sort((a, b) -> Double.compare(b.ms(), a.ms()));
        return out;
    }

    public double totalMs() {
        double s = 0;
        for (Entry e : entries()) s += e.ms();
        return s;
    }
}
