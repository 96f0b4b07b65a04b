package rift.kernels.cpu;

/** Element-wise vector ops (residual add, scaling, sums) with the Vector API and a fixed work split. */
public final class Vec {
    private Vec() {}

    /** out[i] = a[i] + b[i] (residual add); out may alias a or b. */
    public static void add(float[] out, float[] a, float[] b, int n) {
        throw new UnsupportedOperationException("pending: Vec.add");
    }

    /** y[i] += x[i]. */
    public static void addInPlace(float[] y, float[] x, int n) {
        throw new UnsupportedOperationException("pending: Vec.addInPlace");
    }

    /** x[i] *= s. */
    public static void scale(float[] x, int off, int n, float s) {
        throw new UnsupportedOperationException("pending: Vec.scale");
    }

    /** Sum of squares of x[off .. off+n), accumulated in double, deterministic for a given thread count. */
    public static double sumSquares(float[] x, int off, int n) {
        throw new UnsupportedOperationException("pending: Vec.sumSquares");
    }
}
