package rift.kernels;

import java.util.Arrays;

/**
 * A dense row-major float tensor owned by a {@link Backend}. The CPU backend stores fp32 in a Java
 * array; a CUDA backend stores device memory (bf16 or fp32) behind the same handle. The first
 * dimension can be narrowed with {@link #rows(int)} without copying, so activation buffers sized for
 * the largest batch serve every smaller one.
 */
public abstract class Tensor {
    private final int[] shape;
    private final long numel;

    protected Tensor(int[] shape) {
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        this.numel = n;
    }

    public final int[] shape() {
        return shape.clone();
    }

    public final int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public final int rank() {
        return shape.length;
    }

    public final long numel() {
        return numel;
    }

    /** Product of all dimensions but the last: the number of rows of a 2-D view. */
    public final int rowCount() {
        return shape.length == 0 ? 1 : (int) (numel / shape[shape.length - 1]);
    }

    /** Size of the last dimension. */
    public final int rowLength() {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    /** A view of the first {@code n} entries of dimension 0, sharing storage. */
    public abstract Tensor rows(int n);

    /** A view with the same storage prefix and another shape of at most the same element count. */
    public abstract Tensor view(int... newShape);

    @Override
    public String toString() {
        return getClass().getSimpleName() + Arrays.toString(shape);
    }
}
