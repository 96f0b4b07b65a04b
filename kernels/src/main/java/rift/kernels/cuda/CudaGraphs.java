package rift.kernels.cuda;

import java.lang.ref.Cleaner;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import rift.kernels.RiftException;

/**
 * {@link CudaBackend#repeatable}: a sequence of ops the caller repeats with the same tensors and shapes (a
 * decode step), recorded once as a CUDA graph and replayed, so a step costs one launch of host time instead
 * of one per kernel (~400 for Qwen3-0.6B). Opt-in with {@code -Drift.cuda.graphs=on} until a GPU run
 * measures it.
 *
 * <p>Every call first runs the ops in the backend's STAGE mode: their host work only (argument checks, the
 * upload of their index arrays such as positions and lengths into their named scratch buffers, scratch
 * allocation), no kernel and no GEMM. The first call for a key then records the ops (CAPTURE mode: the
 * device turns launches into graph nodes, arguments taken by value); every call launches the graph, which
 * reads the freshly staged index buffers. So what may change between calls is exactly what the ops upload
 * from host arrays; a kernel argument that changed (a size, a pointer) would be replayed stale, which is why
 * a graph is dropped when a scratch buffer it may use was reallocated, and why a name staged twice in one
 * step with different contents is an error. The bits equal the eager run's: the same kernels on the same
 * data.
 *
 * <p>If a capture fails (a driver that refuses it, an op that reads back or allocates), graphs are turned off
 * for this backend with the reason in {@link #status()}, and the ops run eagerly from then on.
 */
final class CudaGraphs {
    /** cuBLAS's workspace for captured GEMMs (so that it never allocates one while a graph is recorded). */
    private static final long CUBLAS_WORKSPACE = 32L << 20;
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaBackend be;
    private boolean enabled;
    private String disabledBecause;
    /** Graphs by the caller's key object, which the caller keeps (the entry goes when the key is collected). */
    private final Map<Object, Entry> graphs = new WeakHashMap<>();
    /** Graphs whose key was collected or that went stale: destroyed at the next synchronised point (maybe queued twice). */
    private final ConcurrentLinkedQueue<Object> dead = new ConcurrentLinkedQueue<>();
    /** Graphs recorded and not destroyed yet (by identity), so that a graph queued twice is destroyed once. */
    private final java.util.Set<Object> alive = java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    /** Index buffers written by the current STAGE pass, by name, to catch a name staged twice with different contents. */
    private final Map<String, int[]> stagedThisPass = new java.util.HashMap<>();
    private boolean workspaceSet;
    private int captures, replays;

    /** One recorded graph and the scratch epoch it was recorded in. */
    private record Entry(Object exec, long epoch) {}

    CudaGraphs(CudaBackend be) {
        this.be = be;
        this.enabled = enabledByProperty();
    }

    /** -Drift.cuda.graphs=on (or true) turns graphs on, off (or unset) leaves them off; anything else is an error. */
    static boolean enabledByProperty() {
        String p = System.getProperty("rift.cuda.graphs");
        if (p == null || p.isBlank() || p.equals("off") || p.equals("false")) return false;
        if (p.equals("on") || p.equals("true")) return true;
        throw new RiftException("-Drift.cuda.graphs=" + p + " is not on or off; write -Drift.cuda.graphs=on to replay decode steps"
                + " as CUDA graphs, or leave it out");
    }

    void setEnabled(boolean on) {
        enabled = on;
        if (on) {
            disabledBecause = null;
            prepare();
        }
    }

    /** Graphs recorded and replays run so far (a check compares them before and after its own calls). */
    int captures() {
        return captures;
    }

    int replays() {
        return replays;
    }

    boolean enabled() {
        return enabled;
    }

    /** "off", "on: 3 captured, 250 replayed", or why graphs were turned off. */
    String status() {
        if (disabledBecause != null) return "off: " + disabledBecause;
        return enabled ? "on: " + captures + " captured, " + replays + " replayed" : "off";
    }

    /** Runs ops once, as a graph replay when graphs are on (see the class comment); true when a graph ran them. */
    boolean run(Object key, Runnable ops) {
        if (!enabled || be.mode != CudaBackend.Mode.EAGER) {
            ops.run();
            return false;
        }
        Entry e = graphs.get(key);
        if (e != null && e.epoch() != be.scratchEpoch) e = drop(key, e);
        try {
            stage(ops);
        } catch (StagingConflict conflict) { // these ops cannot replay as a graph: say why and run them as they are
            turnOff(conflict.getMessage());
            ops.run();
            return false;
        }
        if (e != null && e.epoch() != be.scratchEpoch) e = drop(key, e); // staging itself moved a buffer
        if (e == null) {
            e = capture(ops);
            if (e == null) { // capture failed: graphs are off now; this call runs as an eager one
                ops.run();
                return false;
            }
            graphs.put(key, e);
            Object exec = e.exec();
            CLEANER.register(key, () -> dead.add(exec));
        }
        be.dev.launchGraph(e.exec());
        replays++;
        return true;
    }

    private void stage(Runnable ops) {
        stagedThisPass.clear();
        be.mode = CudaBackend.Mode.STAGE;
        try {
            ops.run();
        } finally {
            be.mode = CudaBackend.Mode.EAGER;
            stagedThisPass.clear();
        }
    }

    /** Called by the backend's ints() in a STAGE pass: a name may be staged again in the same pass only with the same values. */
    void staged(String name, int[] values, int n) {
        int[] before = stagedThisPass.get(name);
        if (before != null && !java.util.Arrays.equals(before, 0, before.length, values, 0, n)) {
            throw new StagingConflict("the ops upload '" + name + "' twice in one step with different contents, so a replay would"
                    + " give the first use the second's values; give each use its own scratch name to replay them as a graph");
        }
        stagedThisPass.put(name, java.util.Arrays.copyOf(values, n));
    }

    /** A sequence of ops that cannot replay as a graph (see staged); run() then turns graphs off and runs them eagerly. */
    private static final class StagingConflict extends IllegalStateException {
        StagingConflict(String message) {
            super(message);
        }
    }

    /** The error an op raises when it cannot be part of a graph (CudaBackend.notInGraph). */
    static IllegalStateException notRepeatable(String what) {
        return new StagingConflict(what + " cannot be replayed as a graph");
    }

    private void turnOff(String why) {
        enabled = false;
        disabledBecause = why;
        System.err.println("rift: CUDA graphs turned off (" + why + "); running eagerly");
    }

    /**
     * Gives cuBLAS its own workspace once graphs are on, before any GEMM of the run: a capture must not see cuBLAS
     * allocate one, and every GEMM of a graphs-on run, eager or replayed, then uses the same workspace (and so the
     * same algorithms). The backend calls this after creating cuBLAS; turning graphs on later calls it too.
     */
    void prepare() {
        if (!enabled || workspaceSet || be.blas == null) return;
        try {
            be.blas.setWorkspace(be.scratch("cublas.workspace", CUBLAS_WORKSPACE).address, CUBLAS_WORKSPACE);
            workspaceSet = true;
        } catch (RuntimeException e) {
            turnOff("cuBLAS refused a workspace of its own: " + e.getMessage());
        }
    }

    private Entry capture(Runnable ops) {
        long epoch = be.scratchEpoch;
        be.dev.synchronize("graph capture (before)");
        boolean capturing = false;
        try {
            be.dev.beginCapture();
            capturing = true;
            be.mode = CudaBackend.Mode.CAPTURE;
            try {
                ops.run();
            } finally {
                be.mode = CudaBackend.Mode.EAGER;
            }
            capturing = false;
            Object exec = be.dev.endCapture();
            if (be.scratchEpoch != epoch) { // cannot happen after a STAGE pass, but a stale graph must never run
                be.dev.destroyGraph(exec);
                throw new IllegalStateException("a scratch buffer moved during the capture");
            }
            captures++;
            alive.add(exec);
            return new Entry(exec, epoch);
        } catch (RuntimeException failure) {
            if (capturing) {
                try {
                    be.dev.destroyGraph(be.dev.endCapture());
                } catch (RuntimeException ignored) {
                    // the capture was already invalidated: ending it is all that was needed
                }
            }
            turnOff("the capture failed: " + failure.getMessage());
            return null;
        }
    }

    private Entry drop(Object key, Entry e) {
        graphs.remove(key);
        dead.add(e.exec());
        return null;
    }

    /** Destroys dropped graphs (the backend calls this where the stream may be synchronised). */
    void reap() {
        if (dead.isEmpty()) return;
        be.dev.synchronize("graph destroy (before)");
        Object g;
        while ((g = dead.poll()) != null) if (alive.remove(g)) be.dev.destroyGraph(g);
    }

    /** Destroys every graph (the backend is closing; the stream was synchronised). */
    void close() {
        for (Entry e : graphs.values()) dead.add(e.exec());
        graphs.clear();
        Object g;
        while ((g = dead.poll()) != null) {
            if (!alive.remove(g)) continue;
            try {
                be.dev.destroyGraph(g);
            } catch (RuntimeException ignored) {
                // closing after a failure
            }
        }
    }
}
