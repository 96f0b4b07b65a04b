package rift.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;
import rift.util.Rng;

/** Seeded epoch orders, batches across epoch boundaries, and exact resumption from a stored cursor. */
class DataOrderTest {
    /** Reference: the indices of the first {@code count} draws, epoch by epoch, built without DataOrder. */
    static int[] reference(int n, long seed, int count) {
        int[] out = new int[count];
        int filled = 0;
        for (long e = 0; filled < count; e++) {
            int[] p = Rng.derive(seed, e).permutation(n);
            int take = Math.min(n, count - filled);
            System.arraycopy(p, 0, out, filled, take);
            filled += take;
        }
        return out;
    }

    @Test
    void epochsArePermutationsFromRngDeriveOfSeedAndEpoch() {
        int n = 37;
        DataOrder order = DataOrder.start(n, 99, true);
        int[] drawn = order.next(5 * n);
        assertArrayEquals(reference(n, 99, 5 * n), drawn);
        for (int e = 0; e < 5; e++) {
            int[] epoch = Arrays.copyOfRange(drawn, e * n, (e + 1) * n);
            int[] sorted = epoch.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) assertEquals(i, sorted[i], "epoch " + e + " is a permutation");
        }
        assertFalse(Arrays.equals(Arrays.copyOfRange(drawn, 0, n), Arrays.copyOfRange(drawn, n, 2 * n)), "epochs differ");
        assertEquals(new DataCursor(5, 99, 0), order.cursor());
        assertEquals(5L * n, order.served());
        assertFalse(Arrays.equals(drawn, DataOrder.start(n, 100, true).next(5 * n)), "the seed matters");
    }

    @Test
    void batchCrossingAnEpochBoundaryContinuesWithTheNextEpochsOrder() {
        int n = 10;
        int[] p0 = Rng.derive(7, 0).permutation(n), p1 = Rng.derive(7, 1).permutation(n), p2 = Rng.derive(7, 2).permutation(n);
        DataOrder order = DataOrder.start(n, 7, true);
        assertArrayEquals(Arrays.copyOfRange(p0, 0, 4), order.next(4));
        assertArrayEquals(Arrays.copyOfRange(p0, 4, 8), order.next(4));
        assertArrayEquals(new int[] {p0[8], p0[9], p1[0], p1[1]}, order.next(4));
        assertEquals(new DataCursor(1, 7, 2), order.cursor());
        // a batch longer than an epoch spans three epochs
        int[] big = order.next(2 * n);
        int[] want = new int[2 * n];
        System.arraycopy(p1, 2, want, 0, 8);
        System.arraycopy(p2, 0, want, 8, 10);
        want[18] = Rng.derive(7, 3).permutation(n)[0];
        want[19] = Rng.derive(7, 3).permutation(n)[1];
        assertArrayEquals(want, big);
        assertEquals(new DataCursor(3, 7, 2), order.cursor());
    }

    @Test
    void resumeAtAnEpochBoundaryNeitherRepeatsNorStalls() {
        // verl's resume bug: a checkpoint taken exactly at the end of an epoch resumed into an empty
        // epoch (0 steps) or replayed the finished one
        int n = 8;
        DataOrder order = DataOrder.start(n, 3, true);
        int[] epoch0 = new int[n];
        System.arraycopy(order.next(4), 0, epoch0, 0, 4);
        System.arraycopy(order.next(4), 0, epoch0, 4, 4);
        DataCursor saved = order.cursor();
        assertEquals(new DataCursor(1, 3, 0), saved, "the end of epoch 0 is stored as the start of epoch 1");
        DataOrder resumed = new DataOrder(n, DataCursor.fromJson(saved.toJson()), true);
        assertEquals(8, resumed.served());
        int[] after = resumed.next(4);
        assertEquals(4, after.length);
        assertArrayEquals(Arrays.copyOfRange(Rng.derive(3, 1).permutation(n), 0, 4), after);
        assertArrayEquals(order.next(4), after);
        // a cursor written as (epoch, n) by other code means the same point
        DataOrder atEnd = new DataOrder(n, new DataCursor(0, 3, n), true);
        assertEquals(new DataCursor(1, 3, 0), atEnd.cursor());
        assertArrayEquals(after, atEnd.next(4));
    }

    @Test
    void resumingFromAStoredCursorGivesExactlyTheUninterruptedIndices() {
        Random r = new Random(12345);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + r.nextInt(50);
            long seed = r.nextLong();
            boolean shuffle = trial % 5 != 4;
            int[] batches = new int[60];
            for (int i = 0; i < batches.length; i++) batches[i] = 1 + r.nextInt(2 * n + 3);
            // the run that never stops
            DataOrder straight = DataOrder.start(n, seed, shuffle);
            int[][] want = new int[batches.length][];
            for (int i = 0; i < batches.length; i++) want[i] = straight.next(batches[i]);
            // runs that stop after a random batch, store the cursor as JSON, and resume in a new object
            for (int stop = 0; stop < 10; stop++) {
                int at = r.nextInt(batches.length);
                DataOrder first = DataOrder.start(n, seed, shuffle);
                for (int i = 0; i < at; i++) assertArrayEquals(want[i], first.next(batches[i]));
                String json = first.cursor().toJson();
                DataOrder second = new DataOrder(n, DataCursor.fromJson(json), shuffle);
                assertEquals(first.served(), second.served());
                for (int i = at; i < batches.length; i++)
                    assertArrayEquals(want[i], second.next(batches[i]), "trial " + trial + " stop at " + at + " batch " + i);
                assertEquals(straight.cursor(), second.cursor());
            }
        }
    }

    @Test
    void withoutShuffleEveryEpochIsInOrder() {
        DataOrder order = DataOrder.start(4, 5, false);
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1}, order.next(6));
        assertArrayEquals(new int[] {2, 3, 0}, order.next(3));
    }

    @Test
    void cursorJsonIsExactAndStrict() throws Exception {
        DataCursor c = new DataCursor(3, Long.MIN_VALUE + 17, 41);
        assertEquals("{\"epoch\":3,\"permutation_seed\":-9223372036854775791,\"position\":41}", c.toJson());
        assertEquals(c, DataCursor.fromJson(c.toJson()));
        // databind, as a checkpoint record holding a cursor would use it
        ObjectMapper m = new ObjectMapper();
        assertEquals(c, m.readValue(m.writeValueAsString(c), DataCursor.class));
        assertEquals(c, DataCursor.fromJson(m.writeValueAsString(c)));
        for (String bad : new String[] {"{\"epoch\":3,\"position\":1}", "{\"epoch\":3,\"permutation_seed\":1,\"position\":1.5}",
                "{\"epoch\":-1,\"permutation_seed\":1,\"position\":0}", "[1,2,3]", "{\"epoch\":",
                "{\"epoch\":1,\"permutation_seed\":99999999999999999999,\"position\":0}"}) {
            RiftException e = assertThrows(RiftException.class, () -> DataCursor.fromJson(bad), bad);
            assertTrue(e.getMessage().startsWith("data cursor"), e.getMessage());
        }
    }

    @Test
    void aCursorPastTheDataOrNoDataIsAnError() {
        RiftException e = assertThrows(RiftException.class, () -> new DataOrder(10, new DataCursor(2, 1, 11), true));
        assertTrue(e.getMessage().contains("checkpoint was made with other data"), e.getMessage());
        DataOrder empty = DataOrder.start(0, 1, true);
        assertEquals(0, empty.next(0).length);
        assertThrows(RiftException.class, () -> empty.next(1));
    }
}
