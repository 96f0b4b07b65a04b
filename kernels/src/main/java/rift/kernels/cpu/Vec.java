package rift.kernels.cpu;

import jdk.incubator.vector.FloatVector;

/** Element-wise vector ops (residual add, scaling, sums) with the Vector API and a fixed work split. */
public final class Vec {
    /** Elements per parallel chunk at least: below this a thread hand-off costs more than it saves. */
    static final int GRAIN = 1 << 15;

    private static final int FL = VecMath.FL;

    private Vec() {}

    /** out[i] = a[i] + b[i] (residual add); out may alias a or b. */
    public static void add(float[] out, float[] a, float[] b, int n) {
        checkLength("out", out, 0, n);
        checkLength("a", a, 0, n);
        checkLength("b", b, 0, n);
        Parallel.forRange(n, GRAIN, (c, s, e) -> {
            int i = s;
            for (int bound = e - FL + 1; i < bound; i += FL) {
                FloatVector.fromArray(VecMath.FS, a, i).add(FloatVector.fromArray(VecMath.FS, b, i)).intoArray(out, i);
            }
            for (; i < e; i++) out[i] = a[i] + b[i];
        });
    }

    /** y[i] += x[i]. */
    public static void addInPlace(float[] y, float[] x, int n) {
        add(y, y, x, n);
    }

    /** x[i] *= s. */
    public static void scale(float[] x, int off, int n, float s) {
        checkLength("x", x, off, n);
        Parallel.forRange(n, GRAIN, (c, start, end) -> {
            int i = off + start, e = off + end;
            for (int bound = e - FL + 1; i < bound; i += FL) {
                FloatVector.fromArray(VecMath.FS, x, i).mul(s).intoArray(x, i);
            }
            for (; i < e; i++) x[i] *= s;
        });
    }

    /** Sum of squares of x[off .. off+n), accumulated in double, deterministic for a given thread count. */
    public static double sumSquares(float[] x, int off, int n) {
        checkLength("x", x, off, n);
        int parts = Parallel.parts(n, GRAIN);
        double[] partial = new double[parts];
        Parallel.forRange(n, GRAIN, (c, s, e) -> partial[c] = VecMath.sumSquares(x, off + s, e - s));
        double sum = 0;
        for (double p : partial) sum += p; // chunk order: the same bits every run
        return sum;
    }

    static void checkLength(String name, float[] a, int off, int n) {
        if (n < 0 || off < 0 || (long) off + n > a.length) {
            throw new IllegalArgumentException(name + ": range [" + off + ", " + ((long) off + n) + ") outside array of length " + a.length);
        }
    }
}
