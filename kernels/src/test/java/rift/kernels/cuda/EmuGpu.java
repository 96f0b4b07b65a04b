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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@link Gpu} that runs rift's CUDA kernels on the CPU: src/main/cuda compiled as host C++ by g++
 * against src/test/cuda-emu (fiber-scheduled threads, real barriers and shuffles, guard pages around
 * every allocation and the dynamic shared memory, a reference column-major GEMM for cuBLAS). The
 * library is built on first use into target/cuda-emu, keyed by the hash of its sources.
 */
final class EmuGpu implements Gpu {
    private static final Linker LINKER = Linker.nativeLinker();
    /** H100's per-block opt-in shared memory (the emulator's launches fail above it, as the GPU's would). */
    static final int SHARED_LIMIT = 232448;

    private static Path built;
    /** The first build's failure, thrown again on every later use (BuildFailed keeps its type). */
    private static RuntimeException buildFailure;

    private final MethodHandle alloc, free, launch, lastError, gemm;
    /** Device memory size: allocations beyond it fail with CUDA_ERROR_OUT_OF_MEMORY, as on a full GPU. */
    private final long capacity;
    private final java.util.Map<Long, Long> sizes = new java.util.HashMap<>();
    private long used;
    /** The graph being recorded (beginCapture .. endCapture), else null: the device work, in issue order. */
    private java.util.List<Runnable> capture;

    /** Refuses what a real stream capture refuses (a synchronous or allocating call in the capturing thread). */
    private void notCapturing(String what) {
        if (capture != null) throw new CudaFailure("emulated " + what + " during a graph capture (not allowed on a GPU)", 900, false);
    }

    /** Records work while capturing (it runs when the graph is launched), else runs it now. */
    private void issue(Runnable work) {
        if (capture != null) capture.add(work);
        else work.run();
    }

    @Override
    public void beginCapture() {
        if (capture != null) throw new IllegalStateException("already capturing");
        capture = new java.util.ArrayList<>();
    }

    @Override
    public Object endCapture() {
        if (capture == null) throw new IllegalStateException("not capturing");
        java.util.List<Runnable> g = java.util.List.copyOf(capture);
        capture = null;
        return g;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void launchGraph(Object graph) {
        notCapturing("graph launch");
        for (Runnable r : (java.util.List<Runnable>) graph) r.run();
    }

    EmuGpu() {
        this(Long.MAX_VALUE);
    }

    EmuGpu(long capacity) {
        this.capacity = capacity;
        SymbolLookup lib = SymbolLookup.libraryLookup(library(), Arena.global());
        alloc = bind(lib, "rift_emu_alloc", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
        free = bind(lib, "rift_emu_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        launch = bind(lib, "rift_emu_launch", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        lastError = bind(lib, "rift_emu_last_error", FunctionDescriptor.of(ADDRESS));
        gemm = bind(lib, "rift_emu_gemm", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_FLOAT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG,
                JAVA_FLOAT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    private static MethodHandle bind(SymbolLookup lib, String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(lib.find(name).orElseThrow(), fd);
    }

    /** The kernel sources did not compile as host C++ (or g++ hung): a failure of the sources, never a reason to skip. */
    static final class BuildFailed extends IllegalStateException {
        BuildFailed(String message) {
            super(message);
        }
    }

    /**
     * Why the emulator cannot run here (no g++ to start), or null when it can. A compile error in the kernel
     * sources is thrown instead ({@link BuildFailed}), so the tests fail rather than skip.
     */
    static synchronized String unavailable() {
        try {
            library();
            return null;
        } catch (BuildFailed e) {
            throw e;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /**
     * The kernels module's directory: the working directory when kernels' own tests run, ../kernels when
     * the trainer's tests use the emulator (through the kernels test jar).
     */
    static Path kernelsDir() {
        for (String d : List.of(".", "../kernels")) {
            Path p = Path.of(d).toAbsolutePath().normalize();
            if (Files.isDirectory(p.resolve("src/main/cuda")) && Files.isDirectory(p.resolve("src/test/cuda-emu"))) return p;
        }
        throw new IllegalStateException("no kernels/src/main/cuda and src/test/cuda-emu near " + Path.of("").toAbsolutePath());
    }

    /** Builds (once per source hash) and returns the emulator library. */
    static synchronized Path library() {
        if (built != null) return built;
        if (buildFailure != null) throw buildFailure;
        try {
            Path home = kernelsDir();
            List<Path> sources = new ArrayList<>();
            for (String dir : List.of("src/main/cuda", "src/test/cuda-emu")) {
                try (Stream<Path> s = Files.list(home.resolve(dir))) {
                    s.filter(Files::isRegularFile).sorted().forEach(sources::add);
                }
            }
            StringBuilder table = new StringBuilder();
            for (Kernel k : Kernels.ALL) table.append("K(").append(k.name()).append(")\n");
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : sources) md.update(Files.readAllBytes(p));
            md.update(table.toString().getBytes(StandardCharsets.UTF_8));
            Path dir = home.resolve("target/cuda-emu");
            List<String> flags = List.of("-std=c++20", "-O2", "-g", "-fPIC", "-shared", "-ffp-contract=off", "-fno-strict-aliasing", "-Wall",
                    "-Wno-unknown-pragmas", "-Wno-unused-function", "-I", "src/test/cuda-emu", "-I", dir.toString(), "-include",
                    "cuda_emu.h");
            md.update(String.join(" ", flags).getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(md.digest()).substring(0, 16);
            Path so = dir.resolve("librift_cuda_emu-" + hash + ".so");
            if (!Files.exists(so)) {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("emu_table.inc"), table);
                Path tmp = dir.resolve("building-" + hash + ".so");
                Path log = dir.resolve("build.log");
                List<String> cmd = new ArrayList<>(List.of("g++"));
                cmd.addAll(flags);
                cmd.addAll(List.of("-o", tmp.toString(), "src/test/cuda-emu/emu_runtime.cpp"));
                Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new BuildFailed("g++ timed out building the CUDA emulator");
                }
                if (p.exitValue() != 0) throw new BuildFailed("g++ failed building the CUDA emulator:\n" + Files.readString(log));
                Files.move(tmp, so);
            }
            built = so;
            return so;
        } catch (IOException e) {
            buildFailure = new IllegalStateException("cannot build the CUDA emulator (is g++ installed?): " + e.getMessage(), e);
            throw buildFailure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IllegalStateException e) {
            buildFailure = e;
            throw e;
        }
    }

    private static MemorySegment at(long address, long bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    private static MemorySegment heap(Object array) {
        return switch (array) {
            case float[] a -> MemorySegment.ofArray(a);
            case short[] a -> MemorySegment.ofArray(a);
            case int[] a -> MemorySegment.ofArray(a);
            case double[] a -> MemorySegment.ofArray(a);
            default -> throw new IllegalArgumentException("not a host array: " + array);
        };
    }

    @Override
    public Memory alloc(long bytes) {
        notCapturing("cuMemAlloc");
        if (bytes > capacity - used) {
            throw new CudaFailure("cuMemAlloc(" + bytes + " bytes) failed: CUDA_ERROR_OUT_OF_MEMORY (emulated device of " + capacity
                    + " bytes, " + used + " in use)", 2, false);
        }
        try {
            MemorySegment p = (MemorySegment) alloc.invokeExact(bytes);
            if (p.address() == 0) throw new CudaFailure("emulator allocation of " + bytes + " bytes failed", 2, false);
            used += bytes;
            sizes.put(p.address(), bytes);
            return new Memory(p.address(), bytes, p.address());
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void free(Object handle) {
        notCapturing("cuMemFree");
        try {
            int rc = (int) free.invokeExact(MemorySegment.ofAddress((Long) handle));
            if (rc != 0) throw new IllegalStateException("emulator free of an unknown address " + handle);
            Long size = sizes.remove((Long) handle);
            if (size != null) used -= size;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void zero(Memory m, long bytes) {
        check(m, 0, bytes);
        issue(() -> at(m.address, bytes).fill((byte) 0));
    }

    @Override
    public void write(Memory m, long offset, Object hostArray, long bytes) {
        notCapturing("cuMemcpyHtoD");
        check(m, offset, bytes);
        if (bytes > 0) MemorySegment.copy(heap(hostArray), 0, at(m.address + offset, bytes), 0, bytes);
    }

    @Override
    public void read(Object hostArray, Memory m, long bytes) {
        notCapturing("cuMemcpyDtoH");
        check(m, 0, bytes);
        if (bytes > 0) MemorySegment.copy(at(m.address, bytes), 0, heap(hostArray), 0, bytes);
    }

    @Override
    public void copy(Memory dst, Memory src, long bytes) {
        check(dst, 0, bytes);
        check(src, 0, bytes);
        if (bytes > 0) issue(() -> MemorySegment.copy(at(src.address, bytes), 0, at(dst.address, bytes), 0, bytes));
    }

    @Override
    public Memory slice(Memory m, long offset, long bytes) {
        check(m, offset, bytes);
        return new Memory(m.address + offset, bytes, m.address + offset);
    }

    private static void check(Memory m, long offset, long bytes) {
        if (offset < 0 || bytes < 0 || offset + bytes > m.bytes) {
            throw new IllegalArgumentException("transfer of " + bytes + " bytes at " + offset + " outside an allocation of " + m.bytes);
        }
    }

    @Override
    public void launch(Kernel k, int gx, int gy, int sharedBytes, Object... args) {
        k.checkArgs(args);
        if (gx <= 0 || gy <= 0) return;
        if (gy > 65535) throw new IllegalArgumentException(k.name() + ": grid y " + gy + " > 65535");
        if (sharedBytes > SHARED_LIMIT) throw new IllegalArgumentException(k.name() + ": " + sharedBytes + " bytes of shared memory");
        Object[] byValue = args.clone(); // a graph keeps the arguments of its launches as they were at capture
        issue(() -> run(k, gx, gy, sharedBytes, byValue));
    }

    private void run(Kernel k, int gx, int gy, int sharedBytes, Object[] args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate(ADDRESS, args.length);
            for (int i = 0; i < args.length; i++) {
                MemorySegment slot = arena.allocate(8, 8);
                Object a = args[i];
                switch (k.params().get(i)) {
                    case PTR -> slot.set(JAVA_LONG, 0, a == null ? 0L : (Long) a);
                    case I64 -> slot.set(JAVA_LONG, 0, (Long) a);
                    case I32 -> slot.set(JAVA_INT, 0, (Integer) a);
                    case F32 -> slot.set(JAVA_FLOAT, 0, (Float) a);
                }
                params.setAtIndex(ADDRESS, i, slot);
            }
            int rc = (int) launch.invokeExact(arena.allocateFrom(k.name()), gx, gy, sharedBytes, params);
            if (rc != 0) throw new CudaFailure("emulated launch of " + k.name() + " failed: " + lastError(), rc, false);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private String lastError() throws Throwable {
        return ((MemorySegment) lastError.invokeExact()).reinterpret(4096).getString(0);
    }

    @Override
    public void synchronize(String what) {
        notCapturing("cuStreamSynchronize");
        // launches run to completion before they return
    }

    @Override
    public void makeCurrent() {
    }

    @Override
    public Blas blas() {
        return new Blas() {
            @Override
            public void gemm(GemmMapping.Call c, DType ab, DType cType, float alpha, float beta) {
                issue(() -> run(c, ab, cType, alpha, beta));
            }

            private void run(GemmMapping.Call c, DType ab, DType cType, float alpha, float beta) {
                try {
                    int rc = (int) gemm.invokeExact(c.transa(), c.transb(), c.m(), c.n(), c.k(), alpha, MemorySegment.ofAddress(c.a()),
                            ab.cudaDataType(), c.lda(), c.strideA(), MemorySegment.ofAddress(c.b()), ab.cudaDataType(), c.ldb(),
                            c.strideB(), beta, MemorySegment.ofAddress(c.c()), cType.cudaDataType(), c.ldc(), c.strideC(), c.batch());
                    if (rc != 0) throw new CudaFailure("emulated GEMM failed with cuBLAS status " + rc + " for " + c, rc, false);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }

            @Override
            public String library() {
                return "emulated GEMM";
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String describe() {
        return "CPU emulation of the CUDA kernels";
    }

    @Override
    public void close() {
    }
}
