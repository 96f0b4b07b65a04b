package rift.io;

import java.util.Arrays;

/**
 * One tensor's header entry: its dtype, shape, and byte range {@code [begin, end)} relative to the start of
 * the file's data section (all offsets are long: tensors and files may exceed 2 GiB). Immutable: the shape
 * is copied in and out.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions (0 for a scalar). */
    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}. */
    public long dim(int i) {
        return shape[i];
    }

    /** Element count: the product of the shape (1 for a scalar). The header parser has checked it fits a long. */
    public long numel() {
        return elementCount(shape);
    }

    /** Bytes the tensor occupies, {@code end - begin}. */
    public long byteSize() {
        return end - begin;
    }

    /** Product of {@code shape}; throws ArithmeticException on long overflow, IllegalArgumentException on a negative dim. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension " + d + " in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}
