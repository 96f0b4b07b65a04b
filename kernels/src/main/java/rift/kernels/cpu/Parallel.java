package rift.kernels.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fixed work split over a fixed number of threads, so results are bitwise identical run to run.
 *
 * <p>{@code forRange(n, body)} cuts [0, n) into {@code threads()} contiguous chunks of (almost) equal
 * size; chunk i always runs the same index range, whichever thread picks it up. Kernels that reduce
 * across a range (a weight gradient, a norm) keep one partial per chunk and add the partials in chunk
 * order, so the answer depends on the thread count but never on timing. The count comes from
 * {@code -Drift.threads=N} or the {@code RIFT_THREADS} environment variable, else every available core.
 */
public final class Parallel {
    /** The body of a parallel loop: process indices [start, end); {@code chunk} is the chunk number. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int chunk, int start, int end);
    }

    private static volatile int threads = defaultThreads();
    private static Worker[] workers = new Worker[0];

    private Parallel() {}

    private static int defaultThreads() {
        String p = System.getProperty("rift.threads");
        if (p == null) p = System.getenv("RIFT_THREADS");
        if (p != null && !p.isBlank()) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the core count
            }
            throw new rift.kernels.RiftException("rift.threads / RIFT_THREADS must be a positive integer, got '" + p + "'");
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Number of chunks every parallel loop is cut into. */
    public static int threads() {
        return threads;
    }

    /** Sets the thread count for all later loops (tests use it to compare 1 and 2 threads). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1: " + n);
        threads = n;
    }

    /** Start of chunk {@code c} when [0, n) is cut into {@code parts} chunks. */
    public static int chunkStart(int n, int parts, int c) {
        return (int) ((long) n * c / parts);
    }

    /** Runs body over [0, n) in {@code threads()} fixed chunks (fewer when n is small). */
    public static void forRange(int n, RangeBody body) {
        forRange(n, 1, body);
    }

    /**
     * Like {@link #forRange(int, RangeBody)}, but chunks are never smaller than {@code grain} indices
     * (small loops run inline). The split still depends only on n, grain and the thread count.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int parts = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (parts == 1) {
            body.run(0, 0, n);
            return;
        }
        runParts(n, parts, body);
    }

    /** Number of chunks {@code forRange(n, grain, ...)} will use; size per-chunk partial buffers with it. */
    public static int parts(int n, int grain) {
        if (n <= 0) return 1;
        return Math.min(threads, Math.max(1, n / Math.max(1, grain)));
    }

    private static synchronized Worker[] ensureWorkers(int count) {
        if (workers.length < count) {
            Worker[] w = java.util.Arrays.copyOf(workers, count);
            for (int i = workers.length; i < count; i++) {
                w[i] = new Worker("rift-worker-" + i);
                w[i].start();
            }
            workers = w;
        }
        return workers;
    }

    private static void runParts(int n, int parts, RangeBody body) {
        if (Thread.currentThread() instanceof Worker) { // nested loop: run inline, same split
            for (int c = 0; c < parts; c++) body.run(c, chunkStart(n, parts, c), chunkStart(n, parts, c + 1));
            return;
        }
        Worker[] ws = ensureWorkers(parts - 1);
        CountDownLatch done = new CountDownLatch(parts - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int c = 1; c < parts; c++) {
            final int chunk = c;
            ws[c - 1].submit(() -> {
                try {
                    body.run(chunk, chunkStart(n, parts, chunk), chunkStart(n, parts, chunk + 1));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            body.run(0, 0, chunkStart(n, parts, 1));
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for workers", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error er) throw er;
        if (t != null) throw new IllegalStateException(t);
    }

    /** A daemon thread that runs one task at a time, handed over through a single-slot queue. */
    private static final class Worker extends Thread {
        private final java.util.concurrent.SynchronousQueue<Runnable> queue = new java.util.concurrent.SynchronousQueue<>();

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void submit(Runnable r) {
            try {
                queue.put(r);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void run() {
            while (true) {
                try {
                    queue.take().run();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
