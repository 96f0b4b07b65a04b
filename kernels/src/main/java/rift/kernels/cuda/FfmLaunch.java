package rift.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * cuLaunchKernel called through Java's FFM instead of JCuda.
 *
 * <p>Why: JCuda's launch wraps every argument in its own Java array and Pointer, and its native side
 * pins each of them per call; on an H200 the Qwen3-0.6B decode step (~450 launches) took 8.2 ms, about
 * 25x its 0.35 ms of weight reads, so the host side of a launch is what a decode step and the
 * optimizer's many small tensors wait on. Here the arguments go into one preallocated native buffer
 * (8 bytes per argument, the kernelParams pointer array built once), and the call is a plain downcall.
 * CUDA copies the arguments at launch, so the buffer is reused at once.
 *
 * <p>The function and stream handles are the JCuda objects' raw addresses, so both paths launch the
 * same kernels on the same stream and context (the driver's per-thread current context is shared by
 * every caller of libcuda in the process). {@code -Drift.cuda.launch=jcuda} keeps JCuda's launch.
 */
final class FfmLaunch {
    private FfmLaunch() {}

    private static final int MAX_ARGS = 32;
    private static final MethodHandle LAUNCH = bind();

    /** One thread's argument buffer: MAX_ARGS 8-byte slots, then the pointer array to them. */
    private record Args(MemorySegment slots, MemorySegment params) {}

    private static final ThreadLocal<Args> ARGS = ThreadLocal.withInitial(() -> {
        MemorySegment s = Arena.ofAuto().allocate(16L * MAX_ARGS, 8);
        MemorySegment params = s.asSlice(8L * MAX_ARGS);
        for (int i = 0; i < MAX_ARGS; i++) params.setAtIndex(ValueLayout.ADDRESS, i, s.asSlice(8L * i, 8));
        return new Args(s, params);
    });

    /** cuLaunchKernel from libcuda.so.1, or null when FFM cannot bind it (then JCuda launches). */
    private static MethodHandle bind() {
        if ("jcuda".equals(System.getProperty("rift.cuda.launch"))) return null;
        try {
            Optional<MemorySegment> sym = SymbolLookup.libraryLookup("libcuda.so.1", Arena.global()).find("cuLaunchKernel");
            if (sym.isEmpty()) return null;
            var fd = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
            return Linker.nativeLinker().downcallHandle(sym.get(), fd);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    static boolean available() {
        return LAUNCH != null;
    }

    /**
     * Writes one launch's arguments into slots as the kernel reads them: a pointer or long as 8 bytes,
     * an int or float as 4 (little-endian, at the start of its 8-byte slot). Arguments are already
     * checked against k ({@link Kernel#checkArgs}).
     */
    static void pack(Kernel k, Object[] args, MemorySegment slots) {
        if (args.length > MAX_ARGS) throw new IllegalArgumentException(k.name() + ": more than " + MAX_ARGS + " arguments");
        for (int i = 0; i < args.length; i++) {
            long at = 8L * i;
            Object a = args[i];
            switch (k.params().get(i)) {
                case PTR -> slots.set(ValueLayout.JAVA_LONG, at, a == null ? 0L : (Long) a);
                case I64 -> slots.set(ValueLayout.JAVA_LONG, at, (Long) a);
                case I32 -> slots.set(ValueLayout.JAVA_INT, at, (Integer) a);
                case F32 -> slots.set(ValueLayout.JAVA_FLOAT, at, (Float) a);
            }
        }
    }

    /** cuLaunchKernel(function, gx, gy, 1, 256, 1, 1, shared, stream, args, NULL); returns the CUresult. */
    static int launch(long function, int gx, int gy, int sharedBytes, long stream, Kernel k, Object[] args) {
        Args a = ARGS.get();
        pack(k, args, a.slots);
        try {
            return (int) LAUNCH.invokeExact(MemorySegment.ofAddress(function), gx, gy, 1, 256, 1, 1, sharedBytes,
                    MemorySegment.ofAddress(stream), a.params, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException("cuLaunchKernel through FFM failed for " + k.name(), t);
        }
    }
}
