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
 * <p>OpenBLAS runs its own thread pool; its size is kept equal to {@link Parallel#threads()} (checked on
 * every call), which also makes results repeatable: with a fixed thread count OpenBLAS's sgemm splits
 * the work the same way every time.
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

    /** The thread count last given to OpenBLAS (-1: never set). Guarded by the class lock. */
    private static volatile int threadsSet = -1;

    private static void syncThreads() throws Throwable {
        int wanted = Parallel.threads();
        if (wanted == threadsSet) return;
        synchronized (OpenBlas.class) {
            if (wanted != threadsSet) {
                Holder.SET_NUM_THREADS.invokeExact(wanted);
                threadsSet = wanted;
            }
        }
    }

    /** OpenBLAS's own thread count as it reports it (tests check it follows {@link Parallel#threads()}). */
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
        try {
            syncThreads();
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
