package rift.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Splits the sequences of one optimizer step into micro-batches (one forward/backward each). The split
 * never changes the gradient: the loss normaliser is fixed for the whole step before the first
 * micro-batch. Three ways, as the recipe chooses:
 * <ul>
 *   <li>by count: consecutive groups of {@code microBatch} sequences;</li>
 *   <li>by token budget: consecutive sequences until the next would exceed {@code tokens};</li>
 *   <li>packed: best-fit-decreasing into rows of {@code rowLength} tokens, {@code microBatch} rows per
 *       micro-batch (attention never crosses sequences, so a row is just a token budget).</li>
 * </ul>
 * Each micro-batch is a list of indices into the step's sequences.
 */
public final class MicroBatches {
    private MicroBatches() {}

    public static List<int[]> byCount(int n, int microBatch) {
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < n; s += microBatch) {
            int[] mb = new int[Math.min(microBatch, n - s)];
            for (int i = 0; i < mb.length; i++) mb[i] = s + i;
            out.add(mb);
        }
        return out;
    }

    public static List<int[]> byTokens(int[] lengths, int budget) {
        List<int[]> out = new ArrayList<>();
        List<Integer> cur = new ArrayList<>();
        int used = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (!cur.isEmpty() && used + lengths[i] > budget) {
                out.add(cur.stream().mapToInt(Integer::intValue).toArray());
                cur.clear();
                used = 0;
            }
            cur.add(i);
            used += lengths[i];
        }
        if (!cur.isEmpty()) out.add(cur.stream().mapToInt(Integer::intValue).toArray());
        return out;
    }

    /** Best-fit decreasing into rows of rowLength tokens (ties by index, so the packing is deterministic). */
    public static List<int[]> packed(int[] lengths, int rowLength, int rowsPerMicroBatch) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> -lengths[i]).thenComparingInt(i -> i));
        List<List<Integer>> rows = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        for (int i : order) {
            int best = -1;
            for (int r = 0; r < rows.size(); r++)
                if (free.get(r) >= lengths[i] && (best < 0 || free.get(r) < free.get(best))) best = r;
            if (best < 0) {
                rows.add(new ArrayList<>());
                free.add(rowLength);
                best = rows.size() - 1;
            }
            rows.get(best).add(i);
            free.set(best, free.get(best) - lengths[i]);
        }
        List<int[]> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r += rowsPerMicroBatch) {
            List<Integer> mb = new ArrayList<>();
            for (int k = r; k < Math.min(rows.size(), r + rowsPerMicroBatch); k++) mb.addAll(rows.get(k));
            out.add(mb.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }
}
