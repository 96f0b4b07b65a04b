package rift.kernels.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuFuncGetAttribute;
import static jcuda.driver.JCudaDriver.cuFuncSetAttribute;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import rift.kernels.RiftException;

/**
 * One GPU through the JCuda driver API: its primary context, one stream, the rift kernel module
 * (the fatbin resource) and kernel launches checked against their {@link Kernel} specs.
 *
 * <p>Ordering: kernels, cuBLAS, memsets and device-to-device copies go to {@link #stream}, created
 * blocking (flags 0); host transfers use the synchronous cuMemcpyHtoD/DtoH, which run in the legacy
 * default stream and so wait for all earlier work of the stream (and later work waits for them). An
 * upload into a scratch buffer therefore never overwrites data a queued kernel still has to read.
 */
final class CudaDevice implements Gpu {
    static final String FATBIN_RESOURCE = "/rift/cuda/rift_kernels.fatbin";

    /** CUdeviceptr that can tell its raw address (getNativePointer is protected in JCuda). */
    private static final class AddressablePtr extends CUdeviceptr {
        long address() {
            return getNativePointer() + getByteOffset();
        }
    }

    /** CUfunction that can tell its raw handle, which {@link FfmLaunch} passes to cuLaunchKernel. */
    private static final class AddressableFunction extends CUfunction {
        long address() {
            return getNativePointer();
        }
    }

    /** CUstream that can tell its raw handle, which cuBLAS takes as cudaStream_t. */
    private static final class AddressableStream extends CUstream {
        long address() {
            return getNativePointer();
        }
    }

    final int ordinal;
    final String name;
    final int ccMajor, ccMinor;
    final int multiprocessors;
    final int sharedOptin;
    final long l2Bytes;
    private final CUdevice device = new CUdevice();
    private final CUcontext context;
    private final AddressableStream stream = new AddressableStream();
    private final CUmodule module = new CUmodule();
    private final Map<String, AddressableFunction> functions = new HashMap<>();
    /** Launch through {@link FfmLaunch} (the default where it binds) or JCuda; ParityBench times both. */
    boolean ffmLaunch = FfmLaunch.available();
    private final Map<String, Integer> sharedLimit = new HashMap<>();
    private boolean closed;
    private Cublas blas;

    private CudaDevice(int ordinal) {
        this.ordinal = ordinal;
        JCudaDriver.setExceptionsEnabled(false);
        check(cuInit(0), "cuInit");
        check(cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        byte[] nameBytes = new byte[256];
        check(cuDeviceGetName(nameBytes, nameBytes.length, device), "cuDeviceGetName");
        int len = 0;
        while (len < nameBytes.length && nameBytes[len] != 0) len++;
        name = new String(nameBytes, 0, len, java.nio.charset.StandardCharsets.UTF_8);
        ccMajor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        ccMinor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        multiprocessors = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        sharedOptin = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN);
        l2Bytes = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE);
        context = retainPrimaryContext(ordinal, device);
        makeCurrent();
        check(cuStreamCreate(stream, 0), "cuStreamCreate");
        loadModule();
    }

    /**
     * The device's primary context, retained once per process and never released: backends come and
     * go (ParityMain makes one per storage mode) while cuBLAS's runtime keeps using the same primary
     * context, which must not be destroyed under it.
     */
    private static synchronized CUcontext retainPrimaryContext(int ordinal, CUdevice device) {
        CUcontext ctx = PRIMARY.get(ordinal);
        if (ctx == null) {
            ctx = new CUcontext();
            check(cuDevicePrimaryCtxRetain(ctx, device), "cuDevicePrimaryCtxRetain");
            PRIMARY.put(ordinal, ctx);
        }
        return ctx;
    }

    private static final Map<Integer, CUcontext> PRIMARY = new HashMap<>();

    private void loadModule() {
        byte[] fatbin = readFatbin();
        int rc = cuModuleLoadData(module, fatbin);
        if (rc != 0) {
            throw new RiftException("could not load rift's CUDA kernels on " + name + " (compute capability " + ccMajor + "."
                    + ccMinor + "): " + describe(rc) + ". The fatbin holds SASS for sm_80 and sm_90 and PTX for compute_90, so "
                    + "it needs an Ampere A100-class (8.0) or newer GPU and a CUDA 13 driver (r580) or newer; rebuild it with "
                    + "scripts/build-cuda.sh for other GPUs, or use device: cpu");
        }
    }

    static CudaDevice open(int ordinal) {
        return new CudaDevice(ordinal);
    }

    private int attribute(int attr) {
        int[] v = {0};
        check(cuDeviceGetAttribute(v, attr, device), "cuDeviceGetAttribute(" + attr + ")");
        return v[0];
    }

    /** The fatbin from -Drift.cuda.fatbin=PATH when given, else the resource built by scripts/build-cuda.sh. */
    private static byte[] readFatbin() {
        String override = System.getProperty("rift.cuda.fatbin");
        try {
            if (override != null && !override.isBlank()) return Files.readAllBytes(Path.of(override));
            try (InputStream in = CudaDevice.class.getResourceAsStream(FATBIN_RESOURCE)) {
                if (in == null) {
                    throw new RiftException("the CUDA kernels (" + FATBIN_RESOURCE + ") are missing from the classpath; run "
                            + "scripts/build-cuda.sh and rebuild, or use device: cpu");
                }
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new RiftException("could not read the CUDA kernels: " + e.getMessage(), e);
        }
    }

    /** Binds this device's context to the calling thread (done at the start of every op; a no-op when it already is). */
    @Override
    public void makeCurrent() {
        if (CURRENT.get() == context) return;
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
        CURRENT.set(context);
    }

    /**
     * The context each thread last bound through makeCurrent. Only rift binds contexts in this process (cuBLAS
     * uses the same primary context), so this saves a driver call per op, which matters when a step has thousands.
     */
    private static final ThreadLocal<CUcontext> CURRENT = new ThreadLocal<>();

    @Override
    public Memory alloc(long bytes) {
        AddressablePtr p = new AddressablePtr();
        long size = Math.max(bytes, 256); // cuMemAlloc rejects 0 bytes; empty tensors still get an address
        int rc = cuMemAlloc(p, size);
        if (rc != 0) {
            long[] free = {0}, total = {0};
            JCudaDriver.cuMemGetInfo(free, total);
            throw new CudaFailure("cuMemAlloc(" + size + " bytes) failed: " + describe(rc) + " (free " + (free[0] >> 20)
                    + " MiB of " + (total[0] >> 20) + " MiB)", rc, CudaFailure.isSticky(rc));
        }
        return new Memory(p.address(), size, p);
    }

    @Override
    public void free(Object handle) {
        check(cuMemFree((CUdeviceptr) handle), "cuMemFree");
    }

    @Override
    public Memory slice(Memory m, long offset, long bytes) {
        if (offset < 0 || bytes < 0 || offset + bytes > m.bytes) throw new IllegalArgumentException("slice outside its allocation");
        return new Memory(m.address + offset, bytes, ((CUdeviceptr) m.handle).withByteOffset(offset));
    }

    private static CUdeviceptr ptr(Memory m, long offset) {
        CUdeviceptr p = (CUdeviceptr) m.handle;
        return offset == 0 ? p : p.withByteOffset(offset);
    }

    private static Pointer host(Object array) {
        return switch (array) {
            case float[] a -> Pointer.to(a);
            case short[] a -> Pointer.to(a);
            case int[] a -> Pointer.to(a);
            case double[] a -> Pointer.to(a);
            default -> throw new IllegalArgumentException("not a host array: " + array);
        };
    }

    @Override
    public void zero(Memory m, long bytes) {
        check(cuMemsetD8Async(ptr(m, 0), (byte) 0, bytes, stream), "cuMemsetD8Async");
    }

    @Override
    public void write(Memory m, long offset, Object hostArray, long bytes) {
        if (bytes > 0) check(cuMemcpyHtoD(ptr(m, offset), host(hostArray), bytes), "cuMemcpyHtoD");
    }

    @Override
    public void read(Object hostArray, Memory m, long bytes) {
        if (bytes > 0) check(cuMemcpyDtoH(host(hostArray), ptr(m, 0), bytes), "cuMemcpyDtoH");
    }

    @Override
    public void copy(Memory dst, Memory src, long bytes) {
        if (bytes > 0) check(cuMemcpyDtoDAsync(ptr(dst, 0), ptr(src, 0), bytes, stream), "cuMemcpyDtoDAsync");
    }

    @Override
    public void synchronize(String what) {
        check(cuStreamSynchronize(stream), what);
    }

    /** cuStreamBeginCapture's CU_STREAM_CAPTURE_MODE_THREAD_LOCAL: only this thread's unsafe calls are refused. */
    private static final int CAPTURE_THREAD_LOCAL = 1;

    @Override
    public void beginCapture() {
        check(jcuda.driver.JCudaDriver.cuStreamBeginCapture(stream, CAPTURE_THREAD_LOCAL), "cuStreamBeginCapture");
    }

    @Override
    public Object endCapture() {
        jcuda.driver.CUgraph graph = new jcuda.driver.CUgraph();
        check(jcuda.driver.JCudaDriver.cuStreamEndCapture(stream, graph), "cuStreamEndCapture");
        try {
            jcuda.driver.CUgraphExec exec = new jcuda.driver.CUgraphExec();
            check(jcuda.driver.JCudaDriver.cuGraphInstantiate(exec, graph, 0L), "cuGraphInstantiate");
            return exec;
        } finally {
            jcuda.driver.JCudaDriver.cuGraphDestroy(graph); // the executable graph keeps what it needs
        }
    }

    @Override
    public void launchGraph(Object graph) {
        check(jcuda.driver.JCudaDriver.cuGraphLaunch((jcuda.driver.CUgraphExec) graph, stream), "cuGraphLaunch");
    }

    @Override
    public void destroyGraph(Object graph) {
        jcuda.driver.JCudaDriver.cuGraphExecDestroy((jcuda.driver.CUgraphExec) graph);
    }

    @Override
    public Blas blas() {
        if (blas == null) blas = Cublas.create(stream.address());
        return blas;
    }

    private AddressableFunction function(String name) {
        AddressableFunction f = functions.get(name);
        if (f == null) {
            f = new AddressableFunction();
            check(cuModuleGetFunction(f, module, name), "cuModuleGetFunction(" + name + ")");
            functions.put(name, f);
        }
        return f;
    }

    /** Registers used per thread by a kernel (diagnostics). */
    int registers(Kernel k) {
        int[] v = {0};
        check(cuFuncGetAttribute(v, CUfunction_attribute.CU_FUNC_ATTRIBUTE_NUM_REGS, function(k.name())), "cuFuncGetAttribute");
        return v[0];
    }

    /**
     * Launches k on the stream with 256 threads per block. A grid with a zero dimension launches
     * nothing. Dynamic shared memory above 48 KB raises the kernel's limit first (and fails clearly
     * when the GPU cannot give that much to one block).
     */
    @Override
    public void launch(Kernel k, int gx, int gy, int sharedBytes, Object... args) {
        k.checkArgs(args);
        if (gx <= 0 || gy <= 0) return;
        if (gy > 65535) throw new IllegalArgumentException(k.name() + ": grid y " + gy + " > 65535");
        AddressableFunction f = function(k.name());
        if (sharedBytes > 48 * 1024) {
            if (sharedBytes > sharedOptin) {
                throw new RiftException(k.name() + " needs " + sharedBytes + " bytes of shared memory per block, " + name
                        + " allows " + sharedOptin + "; use a smaller head dimension or device: cpu");
            }
            Integer set = sharedLimit.get(k.name());
            if (set == null || set < sharedBytes) {
                check(cuFuncSetAttribute(f, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, sharedBytes),
                        "cuFuncSetAttribute(" + k.name() + ", max dynamic shared = " + sharedBytes + ")");
                sharedLimit.put(k.name(), sharedBytes);
            }
        }
        int rc = ffmLaunch ? FfmLaunch.launch(f.address(), gx, gy, sharedBytes, stream.address(), k, args)
                : jcudaLaunch(f, gx, gy, sharedBytes, k, args);
        if (rc != 0) {
            throw new CudaFailure("launch of " + k.name() + " (grid " + gx + " x " + gy + ", " + sharedBytes
                    + " B shared) failed: " + describe(rc), rc, CudaFailure.isSticky(rc));
        }
    }

    private int jcudaLaunch(CUfunction f, int gx, int gy, int sharedBytes, Kernel k, Object[] args) {
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            params[i] = switch (k.params().get(i)) {
                case PTR -> Pointer.to(new long[] {a == null ? 0L : (Long) a});
                case I64 -> Pointer.to(new long[] {(Long) a});
                case I32 -> Pointer.to(new int[] {(Integer) a});
                case F32 -> Pointer.to(new float[] {(Float) a});
            };
        }
        return cuLaunchKernel(f, gx, gy, 1, 256, 1, 1, sharedBytes, stream, Pointer.to(params), null);
    }

    /** "CUDA_ERROR_X (text)" for a CUresult, asked from the driver (JCuda's table predates CUDA 13). */
    static String describe(int rc) {
        String[] name = {null}, text = {null};
        try {
            JCudaDriver.cuGetErrorName(rc, name);
            JCudaDriver.cuGetErrorString(rc, text);
        } catch (Throwable ignored) {
            // fall through to the number
        }
        return (name[0] != null ? name[0] : "CUresult " + rc) + (text[0] != null ? " (" + text[0] + ")" : "");
    }

    static void check(int rc, String what) {
        if (rc != 0) throw new CudaFailure(what + " failed: " + describe(rc), rc, CudaFailure.isSticky(rc));
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            if (blas != null) blas.close();
            makeCurrent();
            cuModuleUnload(module);
            cuStreamDestroy(stream);
        } catch (RuntimeException e) {
            // closing after a failure: nothing more to do (the primary context stays for the process)
        }
    }

    @Override
    public String describe() {
        return name + " (sm_" + ccMajor + ccMinor + ", " + multiprocessors + " SMs, " + (sharedOptin / 1024) + " KB shared/block, "
                + (l2Bytes >> 20) + " MB L2)";
    }

    @Override
    public long l2Bytes() {
        return l2Bytes;
    }
}
