package rift.kernels.cpu;

import rift.kernels.Tensor;

/** A CPU tensor: fp32 values in a Java array; a view shares the array and uses its first numel() entries. */
public final class CpuTensor extends Tensor {
    public final float[] data;

    public CpuTensor(float[] data, int... shape) {
        super(shape);
        if (numel() > data.length) throw new IllegalArgumentException(this + " needs " + numel() + " floats, array has " + data.length);
        this.data = data;
    }

    public static CpuTensor zeros(int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor too large for the CPU backend: " + java.util.Arrays.toString(shape));
        return new CpuTensor(new float[(int) n], shape);
    }

    @Override
    public CpuTensor rows(int n) {
        int[] s = shape();
        if (n < 0 || n > s[0]) throw new IllegalArgumentException("rows(" + n + ") of " + this);
        s[0] = n;
        return new CpuTensor(data, s);
    }

    @Override
    public CpuTensor view(int... newShape) {
        return new CpuTensor(data, newShape);
    }

    /** The array behind a CPU tensor (fails clearly when handed another backend's tensor). */
    public static float[] of(Tensor t) {
        if (t instanceof CpuTensor c) return c.data;
        throw new IllegalArgumentException("expected a CPU tensor, got " + t);
    }
}
