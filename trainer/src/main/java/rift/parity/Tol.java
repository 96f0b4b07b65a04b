package rift.parity;

import java.util.Locale;

/** One tolerance: the device value passes when |device - cpu| <= atol + rtol * |cpu| (cpu is the reference). */
public record Tol(double atol, double rtol) {
    public Tol {
        if (!(atol >= 0) || !(rtol >= 0)) throw new IllegalArgumentException("tolerances must be >= 0");
    }

    /** False for any NaN, and for infinities that are not equal on both sides. */
    public boolean ok(double device, double cpu) {
        if (device == cpu) return true;
        double d = Math.abs(device - cpu);
        return d <= atol + rtol * Math.abs(cpu);
    }

    @Override
    public String toString() {
        if (atol == 0 && rtol == 0) return "exact";
        if (rtol == 0) return String.format(Locale.ROOT, "abs %.0e", atol);
        if (atol == 0) return String.format(Locale.ROOT, "rel %.0e", rtol);
        return String.format(Locale.ROOT, "%.0e+%.0e|x|", atol, rtol);
    }
}
