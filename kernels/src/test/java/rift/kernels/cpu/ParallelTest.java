package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void everyIndexRunsExactlyOnceInFixedChunks() {
        Parallel.setThreads(3);
        int n = 1001;
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        int[] chunkOf = new int[n];
        Parallel.forRange(n, (c, s, e) -> {
            assertEquals(Parallel.chunkStart(n, 3, c), s);
            assertEquals(Parallel.chunkStart(n, 3, c + 1), e);
            for (int i = s; i < e; i++) {
                hits.incrementAndGet(i);
                chunkOf[i] = c;
            }
        });
        for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i);
        assertEquals(0, chunkOf[0]);
        assertEquals(2, chunkOf[n - 1]);
    }

    @Test
    void grainKeepsSmallLoopsInline() {
        Parallel.setThreads(2);
        assertEquals(1, Parallel.parts(10, 64));
        assertEquals(2, Parallel.parts(1000, 64));
        Thread caller = Thread.currentThread();
        Parallel.forRange(10, 64, (c, s, e) -> assertSame(caller, Thread.currentThread()));
    }

    @Test
    void failuresInWorkersReachTheCaller() {
        Parallel.setThreads(2);
        assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, (c, s, e) -> {
            if (c == 1) throw new IllegalStateException("boom");
        }));
        // the pool still works afterwards
        AtomicIntegerArray hits = new AtomicIntegerArray(100);
        Parallel.forRange(100, (c, s, e) -> { for (int i = s; i < e; i++) hits.incrementAndGet(i); });
        for (int i = 0; i < 100; i++) assertEquals(1, hits.get(i));
    }
}
