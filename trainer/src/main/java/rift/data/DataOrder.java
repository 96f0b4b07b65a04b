package rift.data;

import java.util.Arrays;
import rift.kernels.RiftException;
import rift.util.Rng;

/**
 * The order in which training examples are used: epoch after epoch, each a permutation of [0, n)
 * drawn from {@code Rng.derive(permutationSeed, epoch)} (or [0, n) in order when not shuffling).
 * {@link #next} hands out indices across epoch boundaries: a batch that reaches the end of an epoch
 * continues with the next epoch's order. {@link #cursor} is the whole state to checkpoint.
 */
public final class DataOrder {
    private final int size;
    private final boolean shuffle;
    private long epoch;
    private final long permutationSeed;
    private int position;
    private int[] order;
    private long orderEpoch = -1;

    /**
     * @param size n, the number of examples (after filtering)
     * @param cursor where to start; a position of n is read as the start of the next epoch
     * @param shuffle false: every epoch visits 0, 1, ..., n-1 in order
     */
    public DataOrder(int size, DataCursor cursor, boolean shuffle) {
        if (size < 0) throw new IllegalArgumentException("size " + size);
        if (cursor.position() > size)
            throw new RiftException("data cursor position " + cursor.position() + " is past the " + size
                    + " training examples: the checkpoint was made with other data (data.train or data.filter"
                    + " changed?); resume with the same data, or start a new run");
        this.size = size;
        this.shuffle = shuffle;
        this.epoch = cursor.epoch();
        this.permutationSeed = cursor.permutationSeed();
        this.position = (int) cursor.position();
        if (size > 0 && position == size) {
            epoch++;
            position = 0;
        }
    }

    /** The examples' indices from the start of training. */
    public static DataOrder start(int size, long permutationSeed, boolean shuffle) {
        return new DataOrder(size, DataCursor.start(permutationSeed), shuffle);
    }

    public int size() {
        return size;
    }

    /** The next {@code k} example indices; the cursor moves past them. */
    public int[] next(int k) {
        if (k < 0) throw new IllegalArgumentException("k " + k);
        if (k > 0 && size == 0)
            throw new RiftException("no training examples to draw from: data.train is empty after data.filter"
                    + " and skipped records; check the files and the filter");
        int[] out = new int[k];
        int filled = 0;
        while (filled < k) {
            int[] o = epochOrder(epoch);
            int take = Math.min(k - filled, size - position);
            System.arraycopy(o, position, out, filled, take);
            filled += take;
            position += take;
            if (position == size) {
                epoch++;
                position = 0;
            }
        }
        return out;
    }

    /** Where the next index comes from; never at position n (that is stored as the next epoch's start). */
    public DataCursor cursor() {
        return new DataCursor(epoch, permutationSeed, position);
    }

    /** How many indices were handed out since the start of training: epoch * n + position. */
    public long served() {
        return epoch * size + position;
    }

    /** The order of epoch {@code e}: a copy. */
    public int[] epochOrderCopy(long e) {
        return epochOrder(e).clone();
    }

    private int[] epochOrder(long e) {
        if (e != orderEpoch) {
            if (shuffle) {
                order = Rng.derive(permutationSeed, e).permutation(size);
            } else {
                order = new int[size];
                Arrays.setAll(order, i -> i);
            }
            orderEpoch = e;
        }
        return order;
    }
}
