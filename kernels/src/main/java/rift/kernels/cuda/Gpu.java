package rift.kernels.cuda;

/**
 * What {@link CudaBackend} needs from a GPU: memory, transfers, kernel launches on one stream and a
 * GEMM. {@link CudaDevice} is the real one (JCuda driver API + cuBLAS through FFM); the tests also
 * run the same backend over a CPU emulation of the kernels (CudaEmulatorTest), which is why this is
 * an interface.
 *
 * <p>Ordering contract: launches, zero(), copy() and GEMMs run in issue order on the device's stream;
 * write() and read() are synchronous with respect to everything issued before them (and work issued
 * after them sees their data), so host arrays may be reused at once.
 */
interface Gpu extends AutoCloseable {
    /** A device allocation: address, size in bytes, and the implementation's handle for it. */
    final class Memory {
        final long address;
        final long bytes;
        final Object handle;

        Memory(long address, long bytes, Object handle) {
            this.address = address;
            this.bytes = bytes;
            this.handle = handle;
        }
    }

    /** C = alpha op(A) op(B) + beta C in cuBLAS's column-major convention (see {@link GemmMapping}). */
    interface Blas extends AutoCloseable {
        void gemm(GemmMapping.Call call, DType ab, DType cType, float alpha, float beta);

        String library();

        /**
         * Gives cuBLAS its own workspace of `bytes` at `address` (device memory the caller keeps), so that a
         * graph capture never sees it allocate one; false when this cuBLAS has no cublasSetWorkspace.
         */
        default boolean setWorkspace(long address, long bytes) {
            return false;
        }

        @Override
        void close();
    }

    Memory alloc(long bytes);

    /** bytes of m from offset on, as a Memory of its own (never freed itself): the parity checks' unaligned tensors. */
    default Memory slice(Memory m, long offset, long bytes) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no slices");
    }

    /** Frees the allocation with this handle (callers synchronise first when kernels may still use it). */
    void free(Object handle);

    /** Zeroes the first `bytes` of m (queued on the stream). */
    void zero(Memory m, long bytes);

    /** Copies `bytes` from a host float[], short[], int[] or double[] to m + offset (synchronous). */
    void write(Memory m, long offset, Object hostArray, long bytes);

    /** Copies `bytes` from m to a host float[], short[], int[] or double[] (waits for queued work). */
    void read(Object hostArray, Memory m, long bytes);

    /** Device-to-device copy of `bytes` from the start of src to the start of dst (queued). */
    void copy(Memory dst, Memory src, long bytes);

    /** Launches k with 256 threads per block over a gx x gy grid (no launch when either is 0). */
    void launch(Kernel k, int gx, int gy, int sharedBytes, Object... args);

    /**
     * From here until {@link #endCapture}, launches, GEMMs, zero() and copy() on the stream are recorded into a
     * graph instead of running (a CUDA graph: cuStreamBeginCapture); their arguments are taken by value.
     * write(), read(), alloc(), free() and synchronize() are not allowed meanwhile.
     */
    default void beginCapture() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot record graphs");
    }

    /** Ends the recording and returns the graph, ready to launch (cuStreamEndCapture + cuGraphInstantiate). */
    default Object endCapture() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot record graphs");
    }

    /** Runs a graph from {@link #endCapture} on the stream, in issue order with everything else. */
    default void launchGraph(Object graph) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot record graphs");
    }

    /** Frees a graph from {@link #endCapture} (callers synchronise first when it may still run). */
    default void destroyGraph(Object graph) {
    }

    /** Waits for all queued work; a failed kernel is reported naming `what`. */
    void synchronize(String what);

    /** Makes this device current for the calling thread. */
    void makeCurrent();

    Blas blas();

    String describe();

    /** The device's L2 cache in bytes, or 0 when unknown (the emulator). */
    default long l2Bytes() {
        return 0;
    }

    @Override
    void close();
}
