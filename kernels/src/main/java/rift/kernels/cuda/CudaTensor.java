package rift.kernels.cuda;

import java.util.Arrays;
import rift.kernels.Tensor;

/**
 * A tensor in GPU memory: a device address, a storage type and a shape. Views from {@link #rows} and
 * {@link #view} share the allocation and start at the same address (prefix views). The allocation is
 * freed when no tensor refers to it any more (a Cleaner queues it; the backend frees it on its own
 * thread) or when the backend is closed.
 */
public final class CudaTensor extends Tensor {
    final CudaBackend owner;
    final Gpu.Memory memory;
    private final DType dtype;

    CudaTensor(CudaBackend owner, Gpu.Memory memory, DType dtype, int... shape) {
        super(shape);
        this.owner = owner;
        this.memory = memory;
        this.dtype = dtype;
        if (numel() * dtype.bytes() > memory.bytes) {
            throw new IllegalArgumentException(this + " needs " + numel() * dtype.bytes() + " bytes, its allocation has "
                    + memory.bytes);
        }
    }

    public DType dtype() {
        return dtype;
    }

    /** The device address of element 0. */
    public long address() {
        return memory.address;
    }

    /** The device address of element i. */
    long address(long i) {
        return memory.address + i * dtype.bytes();
    }

    long bytes() {
        return numel() * dtype.bytes();
    }

    @Override
    public CudaTensor rows(int n) {
        int[] s = shape();
        if (s.length == 0 || n < 0 || n > s[0]) throw new IllegalArgumentException("rows(" + n + ") of " + this);
        s[0] = n;
        return new CudaTensor(owner, memory, dtype, s);
    }

    @Override
    public CudaTensor view(int... newShape) {
        return new CudaTensor(owner, memory, dtype, newShape);
    }

    @Override
    public String toString() {
        return "CudaTensor" + Arrays.toString(shape()) + (dtype == DType.F32 ? "" : " " + dtype);
    }
}
