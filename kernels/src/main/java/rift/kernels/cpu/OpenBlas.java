package rift.kernels.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * OpenBLAS {@code cblas_sgemm} called through FFM on the Java arrays themselves.
 *
 * <p>javacpp extracts and loads the bytedeco OpenBLAS build (a DYNAMIC_ARCH library that picks its
 * kernels for the CPU at load time, or for {@code OPENBLAS_CORETYPE} when that is set; we report the
 * choice but never change the variable). The downcall is bound with {@code Linker.Option.critical(true)},
 * which lets heap segments ({@code MemorySegment.ofArray}) go straight to native code: no copies, the
 * arrays are pinned for the length of the call.
 *
 * <p>Threads: by default OpenBLAS is held at one thread and rift splits a call into fixed blocks over
 * {@link Parallel}; optionally ({@code -Drift.openblas.threading=openblas}) OpenBLAS's own pool does it,
 * sized to {@link Parallel#threads()} (checked on every call). Either way a fixed thread count splits
 * the work the same way every time, so results repeat bit for bit.
 */
final class OpenBlas {
    private static final int CBLAS_ROW_MAJOR = 101;
    private static final int CBLAS_NO_TRANS = 111;
    private static final int CBLAS_TRANS = 112;

    private OpenBlas() {}

    /** The bound library, or why it could not be bound; initialised on first use. */
    private static final class Holder {
        static final MethodHandle SGEMM;
        static final MethodHandle SET_NUM_THREADS;
        static final MethodHandle GET_NUM_THREADS;
        static final String DESCRIPTION;
        static final String FAILURE;

        static {
            MethodHandle sgemm = null;
            MethodHandle setThreads = null;
            MethodHandle getThreads = null;
            String description = null;
            String failure = null;
            try {
                Path lib = extractLibrary();
                SymbolLookup symbols = SymbolLookup.libraryLookup(lib, Arena.global());
                Linker linker = Linker.nativeLinker();
                sgemm = linker.downcallHandle(find(symbols, "cblas_sgemm"),
                        FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                                JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT),
                        Linker.Option.critical(true));
                setThreads = linker.downcallHandle(find(symbols, "openblas_set_num_threads"),
                        FunctionDescriptor.ofVoid(JAVA_INT));
                getThreads = linker.downcallHandle(find(symbols, "openblas_get_num_threads"),
                        FunctionDescriptor.of(JAVA_INT));
                MethodHandle corename = linker.downcallHandle(find(symbols, "openblas_get_corename"),
                        FunctionDescriptor.of(ADDRESS));
                String core = ((MemorySegment) corename.invokeExact()).reinterpret(256).getString(0);
                String forced = System.getenv("OPENBLAS_CORETYPE");
                description = "openblas (core " + core
                        + (forced == null ? "" : ", OPENBLAS_CORETYPE=" + forced) + ")";
            } catch (Throwable t) {
                sgemm = null;
                setThreads = null;
                getThreads = null;
                failure = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            SGEMM = sgemm;
            SET_NUM_THREADS = setThreads;
            GET_NUM_THREADS = getThreads;
            DESCRIPTION = description;
            FAILURE = failure;
        }
    }

    /** Lets javacpp extract (to its cache) and load OpenBLAS, and returns the path of the loaded .so. */
    private static Path extractLibrary() {
        org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
        // The map's keys are javacpp's library names ("openblas_nolapack@.0" -> its file in the cache).
        for (Map.Entry<String, String> e : org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet()) {
            if (e.getKey().startsWith("openblas") && e.getValue() != null && Files.exists(Path.of(e.getValue()))) {
                return Path.of(e.getValue());
            }
        }
        throw new IllegalStateException("javacpp loaded OpenBLAS but reported no libopenblas file: "
                + org.bytedeco.javacpp.Loader.getLoadedLibraries());
    }

    private static MemorySegment find(SymbolLookup symbols, String name) {
        return symbols.find(name).orElseThrow(() -> new IllegalStateException("symbol " + name + " not found"));
    }

    /** True when OpenBLAS was loaded and bound (loads it on first call). */
    static boolean available() {
        return Holder.FAILURE == null;
    }

    /** Why OpenBLAS is unavailable, or null when it is available. */
    static String failure() {
        return Holder.FAILURE;
    }

    /** "openblas (core X)" for reports; null when unavailable. */
    static String description() {
        return Holder.DESCRIPTION;
    }

    /**
     * Who runs OpenBLAS's threads. false (default, {@code -Drift.openblas.threading=rift}): OpenBLAS is
     * kept single-threaded and the call is split into fixed column (or row) blocks run on
     * {@link Parallel}'s workers. true ({@code =openblas}): one call, OpenBLAS's own pool sized to
     * {@link Parallel#threads()}. Both are deterministic for a given thread count; OpenBLAS's pool
     * busy-waits between phases and collapsed (6 instead of 35+ GFLOP/s at n=512) when other processes
     * competed for the cores, while the split degrades like the rest of rift. Tests switch it.
     */
    static volatile boolean nativeThreading = readThreadingMode(System.getProperty("rift.openblas.threading"));

    static boolean readThreadingMode(String value) {
        if (value == null || value.isBlank() || value.trim().equals("rift")) return false;
        if (value.trim().equals("openblas")) return true;
        throw new rift.kernels.RiftException("-Drift.openblas.threading must be 'rift' or 'openblas', got '" + value
                + "'; fix the flag or remove it");
    }

    /** Columns (or rows) per block of the split: a multiple of every OpenBLAS sgemm unroll. */
    private static final int SPLIT_BLOCK = 64;
    /** Below this many multiply-adds a call is not split. */
    private static final long SPLIT_MIN_FMAS = 1L << 18;

    /** The thread count last given to OpenBLAS (-1: never set); changed under the class lock. */
    private static volatile int threadsSet = -1;

    private static void syncThreads(int wanted) throws Throwable {
        if (wanted == threadsSet) return;
        synchronized (OpenBlas.class) {
            if (wanted != threadsSet) {
                Holder.SET_NUM_THREADS.invokeExact(wanted);
                threadsSet = wanted;
            }
        }
    }

    /** OpenBLAS's own thread count as it reports it (tests check it follows the threading mode). */
    static int threads() {
        if (!available()) throw new IllegalStateException("OpenBLAS is not available: " + failure());
        try {
            return (int) Holder.GET_NUM_THREADS.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_get_num_threads failed", t);
        }
    }

    /** Same contract as {@link Gemm#sgemm}; arguments are already validated (every access in bounds). */
    static void sgemm(boolean transA, boolean transB, int M, int N, int K, float alpha,
                      float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                      float beta, float[] C, int cOff, int ldc) {
        if (!available()) throw new IllegalStateException("OpenBLAS is not available: " + failure());
        boolean nativeThreads = nativeThreading;
        try {
            syncThreads(nativeThreads ? Parallel.threads() : 1);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
        if (nativeThreads || Parallel.threads() == 1 || (long) M * N * K < SPLIT_MIN_FMAS) {
            call(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
        } else if (N >= M) { // blocks of columns: B's columns j0.. and C's columns j0..
            Parallel.forRange((N + SPLIT_BLOCK - 1) / SPLIT_BLOCK, (chunk, b0, b1) -> {
                int j0 = b0 * SPLIT_BLOCK;
                int j1 = Math.min(N, b1 * SPLIT_BLOCK);
                call(transA, transB, M, j1 - j0, K, alpha, A, aOff, lda,
                        B, bOff + (transB ? j0 * ldb : j0), ldb, beta, C, cOff + j0, ldc);
            });
        } else { // blocks of rows: A's rows i0.. and C's rows i0..
            Parallel.forRange((M + SPLIT_BLOCK - 1) / SPLIT_BLOCK, (chunk, b0, b1) -> {
                int i0 = b0 * SPLIT_BLOCK;
                int i1 = Math.min(M, b1 * SPLIT_BLOCK);
                call(transA, transB, i1 - i0, N, K, alpha, A, aOff + (transA ? i0 : i0 * lda), lda,
                        B, bOff, ldb, beta, C, cOff + i0 * ldc, ldc);
            });
        }
    }

    /** One cblas_sgemm downcall on heap segments (pinned for the call, no copies). */
    private static void call(boolean transA, boolean transB, int M, int N, int K, float alpha,
                             float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                             float beta, float[] C, int cOff, int ldc) {
        try {
            Holder.SGEMM.invokeExact(CBLAS_ROW_MAJOR, transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
                    transB ? CBLAS_TRANS : CBLAS_NO_TRANS, M, N, K, alpha,
                    MemorySegment.ofArray(A).asSlice(4L * aOff), lda,
                    MemorySegment.ofArray(B).asSlice(4L * bOff), ldb, beta,
                    MemorySegment.ofArray(C).asSlice(4L * cOff), ldc);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }
}
