package rift.kernels.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import rift.kernels.RiftException;

/**
 * cuBLAS through Java FFM (JCublas needs libcublas.so.12, which CUDA 13 machines lack). Binds
 * cublasCreate_v2, cublasSetStream_v2, cublasSetMathMode, cublasGemmEx and cublasGemmStridedBatchedEx
 * of libcublas.so.13 (or .so.12). Calls are column-major, as cuBLAS is; {@link GemmMapping} turns
 * rift's row-major calls into them. Math mode is CUBLAS_DEFAULT_MATH with CUBLAS_COMPUTE_32F: fp32
 * GEMMs stay fp32 (no TF32), bf16 inputs use the tensor cores with fp32 accumulation.
 */
final class Cublas implements Gpu.Blas {
    static final int OP_N = 0, OP_T = 1;
    private static final int COMPUTE_32F = 68;      // cublasComputeType_t CUBLAS_COMPUTE_32F
    private static final int GEMM_DEFAULT = -1;     // cublasGemmAlgo_t CUBLAS_GEMM_DEFAULT
    private static final int DEFAULT_MATH = 0;      // cublasMath_t CUBLAS_DEFAULT_MATH

    private static final Linker LINKER = Linker.nativeLinker();

    final String library;
    private final Arena arena = Arena.ofShared();
    private final MethodHandle gemmEx, gemmStridedBatchedEx, destroy, statusString, setWorkspace;
    private final MemorySegment handle, alpha, beta;
    private boolean closed;

    private Cublas(SymbolLookup lib, String library, long stream) {
        this.library = library;
        MethodHandle create = bind(lib, "cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle setStream = bind(lib, "cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle setMath = bind(lib, "cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        destroy = bind(lib, "cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        gemmEx = bind(lib, "cublasGemmEx", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,        // handle, transa, transb, m, n, k
                ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,                              // alpha, A, Atype, lda
                ADDRESS, JAVA_INT, JAVA_INT,                                       // B, Btype, ldb
                ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,                              // beta, C, Ctype, ldc
                JAVA_INT, JAVA_INT));                                              // computeType, algo
        gemmStridedBatchedEx = bind(lib, "cublasGemmStridedBatchedEx", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,        // handle, transa, transb, m, n, k
                ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG,                   // alpha, A, Atype, lda, strideA
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG,                            // B, Btype, ldb, strideB
                ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG,                   // beta, C, Ctype, ldc, strideC
                JAVA_INT, JAVA_INT, JAVA_INT));                                    // batchCount, computeType, algo
        MethodHandle ss;
        try {
            ss = bind(lib, "cublasGetStatusString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        } catch (RiftException e) {
            ss = null;
        }
        statusString = ss;
        MethodHandle ws;
        try {
            ws = bind(lib, "cublasSetWorkspace_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        } catch (RiftException e) {
            ws = null;
        }
        setWorkspace = ws;
        alpha = arena.allocate(JAVA_FLOAT);
        beta = arena.allocate(JAVA_FLOAT);
        MemorySegment handleOut = arena.allocate(ADDRESS);
        try {
            check((int) create.invokeExact(handleOut), "cublasCreate_v2");
            handle = handleOut.get(ADDRESS, 0);
            check((int) setStream.invokeExact(handle, MemorySegment.ofAddress(stream)), "cublasSetStream_v2");
            check((int) setMath.invokeExact(handle, DEFAULT_MATH), "cublasSetMathMode");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuBLAS setup failed", t);
        }
    }

    /** Loads cuBLAS and creates a handle on the given stream; the device's context must be current. */
    static Cublas create(long stream) {
        List<String> tried = new ArrayList<>();
        for (String candidate : candidates()) {
            try {
                SymbolLookup lib = open(candidate);
                return new Cublas(lib, candidate, stream);
            } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
                tried.add(candidate + " (" + e.getMessage() + ")");
            }
        }
        throw new RiftException("cuBLAS (libcublas.so.13 or libcublas.so.12) was not found; tried " + String.join("; ", tried)
                + ". Put the folder holding libcublas.so.13 on LD_LIBRARY_PATH (pip's nvidia-cublas wheel has it under "
                + "site-packages/nvidia/*/lib: find / -name 'libcublas.so.13*'), or set RIFT_CUBLAS to the file, or use device: cpu");
    }

    /** Opens a library by file path (its libcublasLt sibling first, for loaders without $ORIGIN) or by soname. */
    private static SymbolLookup open(String candidate) {
        if (candidate.contains("/")) {
            Path p = Path.of(candidate);
            if (!Files.exists(p)) throw new IllegalArgumentException("no such file");
            String lt = p.getFileName().toString().replace("libcublas.", "libcublasLt.");
            Path sibling = p.resolveSibling(lt);
            if (Files.exists(sibling)) SymbolLookup.libraryLookup(sibling, Arena.global());
            return SymbolLookup.libraryLookup(p, Arena.global());
        }
        return SymbolLookup.libraryLookup(candidate, Arena.global());
    }

    /** RIFT_CUBLAS, then the sonames (LD_LIBRARY_PATH, ldconfig), then the usual CUDA and pip folders. */
    static List<String> candidates() {
        Set<String> out = new LinkedHashSet<>();
        String env = System.getenv("RIFT_CUBLAS");
        if (env != null && !env.isBlank()) out.add(env.trim());
        out.add("libcublas.so.13");
        out.add("libcublas.so.12");
        List<Path> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) for (String d : ld.split(":")) if (!d.isBlank()) dirs.add(Path.of(d));
        for (String d : List.of("/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/lib/x86_64-linux-gnu",
                "/usr/lib64")) {
            dirs.add(Path.of(d));
        }
        List<Path> pythonRoots = new ArrayList<>(List.of(Path.of("/usr/lib"), Path.of("/usr/local/lib"), Path.of("/opt/conda/lib"),
                Path.of("/usr/lib64")));
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) pythonRoots.add(Path.of(v, "lib"));
        }
        String home = System.getProperty("user.home");
        if (home != null) pythonRoots.add(Path.of(home, ".local", "lib"));
        for (Path root : pythonRoots) {
            for (Path py : children(root, "python3*")) {
                for (String site : List.of("site-packages", "dist-packages")) {
                    for (Path pkg : children(py.resolve(site).resolve("nvidia"), "*")) dirs.add(pkg.resolve("lib"));
                }
            }
        }
        for (Path d : dirs) {
            for (String so : List.of("libcublas.so.13", "libcublas.so.12")) {
                if (Files.exists(d.resolve(so))) out.add(d.resolve(so).toString());
            }
        }
        return new ArrayList<>(out);
    }

    private static List<Path> children(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            for (Path p : s) out.add(p);
        } catch (IOException ignored) {
            // an unreadable folder is just not a candidate
        }
        out.sort(null);
        return out;
    }

    private static MethodHandle bind(SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment sym = lib.find(name).orElseThrow(() -> new RiftException("cuBLAS symbol " + name + " not found"));
        return LINKER.downcallHandle(sym, fd);
    }

    @Override
    public String library() {
        return library;
    }

    /** One column-major GEMM: C = alpha op(A) op(B) + beta C (cuBLAS argument order and meaning). */
    @Override
    public void gemm(GemmMapping.Call c, DType ab, DType cType, float alphaValue, float betaValue) {
        alpha.set(JAVA_FLOAT, 0, alphaValue);
        beta.set(JAVA_FLOAT, 0, betaValue);
        int rc;
        try {
            if (c.batch() == 1) {
                rc = (int) gemmEx.invokeExact(handle, c.transa(), c.transb(), c.m(), c.n(), c.k(),
                        alpha, MemorySegment.ofAddress(c.a()), ab.cudaDataType(), c.lda(),
                        MemorySegment.ofAddress(c.b()), ab.cudaDataType(), c.ldb(),
                        beta, MemorySegment.ofAddress(c.c()), cType.cudaDataType(), c.ldc(), COMPUTE_32F, GEMM_DEFAULT);
            } else {
                rc = (int) gemmStridedBatchedEx.invokeExact(handle, c.transa(), c.transb(), c.m(), c.n(), c.k(),
                        alpha, MemorySegment.ofAddress(c.a()), ab.cudaDataType(), c.lda(), c.strideA(),
                        MemorySegment.ofAddress(c.b()), ab.cudaDataType(), c.ldb(), c.strideB(),
                        beta, MemorySegment.ofAddress(c.c()), cType.cudaDataType(), c.ldc(), c.strideC(),
                        c.batch(), COMPUTE_32F, GEMM_DEFAULT);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("cuBLAS call failed", t);
        }
        if (rc != 0) {
            throw new CudaFailure((c.batch() == 1 ? "cublasGemmEx" : "cublasGemmStridedBatchedEx") + " failed: " + status(rc)
                    + " for " + c + " (A/B " + ab + ", C " + cType + ")", rc, false);
        }
    }

    @Override
    public boolean setWorkspace(long address, long bytes) {
        if (setWorkspace == null) return false;
        try {
            check((int) setWorkspace.invokeExact(handle, MemorySegment.ofAddress(address), bytes), "cublasSetWorkspace_v2");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cublasSetWorkspace_v2 failed", t);
        }
        return true;
    }

    private void check(int rc, String what) {
        if (rc != 0) throw new CudaFailure(what + " failed: " + status(rc), rc, false);
    }

    private String status(int rc) {
        String name = switch (rc) {
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "cublasStatus " + rc;
        };
        if (statusString != null) {
            try {
                MemorySegment s = (MemorySegment) statusString.invokeExact(rc);
                return name + " (" + s.reinterpret(256).getString(0) + ")";
            } catch (Throwable ignored) {
                // keep the name
            }
        }
        return name;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            int ignored = (int) destroy.invokeExact(handle);
        } catch (Throwable ignored) {
            // closing after a failed context: nothing more to do
        }
        arena.close();
    }
}
