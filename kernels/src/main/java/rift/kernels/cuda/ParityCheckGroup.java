package rift.kernels.cuda;

import java.util.SplittableRandom;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.kernels.cuda.ParityChecks.Result;

/**
 * A themed group of {@link ParityChecks}' checks and what every group shares: the CPU backend (the
 * reference) and the device backend, the storage mode and the tolerances that follow from it, the random
 * generator of the check now running, inputs made on both sides, the error measure ({@link Compare}) and
 * the bitwise comparisons. The generator belongs to the suite, which seeds a fresh one from each check's
 * name, so a check's inputs are the same whichever group it lives in and whichever checks ran before it.
 */
abstract class ParityCheckGroup {
    final Backend cpu;
    final Backend dev;
    final boolean bf16;
    final double tolFwd, tolBwd;
    private final ParityChecks suite;

    ParityCheckGroup(ParityChecks suite) {
        this.suite = suite;
        this.cpu = suite.cpu;
        this.dev = suite.dev;
        this.bf16 = suite.bf16;
        this.tolFwd = bf16 ? 2e-2 : 1e-5;
        this.tolBwd = bf16 ? 2e-2 : 5e-5;
    }

    /** The generator of the check now running (seeded from its name when it starts). */
    SplittableRandom random() {
        return suite.random;
    }

    /** The same tensor on both backends. */
    record Pair(Tensor c, Tensor d) {}

    float[] rnd(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((random().nextDouble() * 2 - 1) * scale);
        return a;
    }

    int[] ints(int n, int lo, int hi) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = random().nextInt(lo, hi);
        return a;
    }

    /** data on both sides in the storage type (rounded to bf16 for both in bf16 mode). */
    Pair in(float[] data, int... shape) {
        float[] v = bf16 ? Bf16.roundAll(data) : data;
        Tensor c = cpu.zeros(shape), d = dev.zeros(shape);
        cpu.upload(c, v.clone());
        dev.upload(d, v);
        return new Pair(c, d);
    }

    /** data on both sides, fp32 on the device whatever the storage (lse, rstd, master weights, moments). */
    Pair inF32(float[] data, int... shape) {
        Tensor c = cpu.zeros(shape), d = f32(shape);
        cpu.upload(c, data.clone());
        dev.upload(d, data);
        return new Pair(c, d);
    }

    Pair out(int... shape) {
        return new Pair(cpu.zeros(shape), dev.zeros(shape));
    }

    Pair outF32(int... shape) {
        return new Pair(cpu.zeros(shape), f32(shape));
    }

    Tensor f32(int... shape) {
        return dev instanceof CudaBackend cb ? cb.zeros(DType.F32, shape) : dev.zeros(shape);
    }

    /** Accumulates the largest normalised error over several outputs. */
    final class Compare {
        double worst;
        final StringBuilder detail = new StringBuilder();

        Compare arrays(String what, float[] d, float[] c) {
            if (d.length != c.length) throw new IllegalStateException(what + ": lengths " + d.length + " vs " + c.length);
            double maxRef = 0, maxDiff = 0;
            int at = -1;
            for (int i = 0; i < c.length; i++) {
                maxRef = Math.max(maxRef, Math.abs(c[i]));
                double diff = Math.abs((double) d[i] - c[i]);
                if (!(diff <= maxDiff)) { // NaN counts as the worst
                    maxDiff = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff;
                    at = i;
                }
            }
            double e = maxRef > 0 ? maxDiff / maxRef : maxDiff;
            worst = Math.max(worst, e);
            if (detail.length() > 0) detail.append("; ");
            detail.append(what).append(' ').append(String.format("%.2e", e));
            if (at >= 0 && e > 0) detail.append(String.format(" (at %d: %.6g vs %.6g)", at, d[at], c[at]));
            return this;
        }

        Compare tensor(String what, Pair p) {
            return arrays(what, dev.download(p.d()), cpu.download(p.c()));
        }

        Result result(String name, double tol) {
            return new Result(name, worst <= tol, worst, tol, detail.toString());
        }
    }

    Compare cmp() {
        return new Compare();
    }

    static Result exact(String name, boolean same, String detail) {
        return new Result(name, same, same ? 0 : Double.POSITIVE_INFINITY, 0, detail);
    }

    /** The data on the device only, in the storage type (rounded as {@link #in} rounds it). */
    Tensor devIn(float[] data, int... shape) {
        Tensor t = dev.zeros(shape);
        dev.upload(t, bf16 ? Bf16.roundAll(data) : data);
        return t;
    }

    /** The data on the device only, as given (the determinism checks compare the device with itself). */
    Tensor devIn(float[] data) {
        Tensor t = dev.zeros(data.length);
        dev.upload(t, data);
        return t;
    }

    /** r, failed unless every pair {name, bitDifferences(fused, unfused)} is null ("same bits as ..." in its detail). */
    static Result bitwise(Result r, String unfused, String[]... differences) {
        StringBuilder bad = new StringBuilder();
        for (String[] d : differences) if (d[1] != null) bad.append("; ").append(d[0]).append(" differs from ").append(unfused).append(": ").append(d[1]);
        return new Result(r.name(), r.pass() && bad.isEmpty(), r.error(), r.tolerance(),
                r.detail() + (bad.isEmpty() ? "; same bits as " + unfused : bad));
    }

    String[] bits(String what, Tensor fused, Tensor unfused) {
        return new String[] {what, bitDifferences(dev.download(fused), dev.download(unfused))};
    }

    /** null when a and b hold the same bits, else how many values differ and the first. */
    static String bitDifferences(float[] a, float[] b) {
        if (a.length != b.length) return "lengths " + a.length + " vs " + b.length;
        int count = 0, first = -1;
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                if (count++ == 0) first = i;
            }
        }
        return count == 0 ? null : String.format("%d values (first at %d: %s vs %s)", count, first, a[first], b[first]);
    }
}
