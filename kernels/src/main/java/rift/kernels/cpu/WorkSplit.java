package rift.kernels.cpu;

import java.util.function.Supplier;

/**
 * Runs a fixed list of independent work items of known (estimated) cost on {@link Parallel}, cut into
 * contiguous parts of about equal total cost. Causal attention items differ a lot in cost (a query
 * tile near the end of a sequence sees many more keys than one near the start), so an equal-count
 * split would leave a core idle. The cut depends only on the costs and the thread count, and every
 * item writes only its own outputs, so results do not depend on timing.
 */
final class WorkSplit {
    /** Processes one item with the part's private scratch. */
    @FunctionalInterface
    interface ItemBody<S> {
        void run(int item, S scratch);
    }

    private WorkSplit() {}

    /** Boundaries {@code b[0] = 0 <= b[1] <= ... <= b[parts] = cost.length} of equal-cost contiguous parts. */
    static int[] bounds(long[] cost, int parts) {
        long total = 0;
        for (long c : cost) total += c;
        int[] b = new int[parts + 1];
        b[parts] = cost.length;
        long running = 0;
        int item = 0;
        for (int p = 1; p < parts; p++) {
            // part p starts at the first item whose preceding cost reaches p/parts of the total
            long target = (long) ((double) total * p / parts);
            while (item < cost.length && running + cost[item] / 2 < target) running += cost[item++];
            b[p] = item;
        }
        return b;
    }

    static <S> void run(long[] cost, Supplier<S> scratch, ItemBody<S> body) {
        int n = cost.length;
        if (n == 0) return;
        int parts = Math.min(Parallel.threads(), n);
        int[] b = bounds(cost, parts);
        Parallel.forRange(parts, 1, (chunk, p0, p1) -> {
            S s = scratch.get();
            for (int p = p0; p < p1; p++) {
                for (int i = b[p]; i < b[p + 1]; i++) body.run(i, s);
            }
        });
    }
}
