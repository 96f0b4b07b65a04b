package rift.parity;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The comparisons behind the parity table; the CPU side is always the reference. */
public final class Compare {
    private Compare() {}

    public static Check scalar(String model, String name, double device, double cpu, Tol tol) {
        double abs = Math.abs(device - cpu);
        double rel = cpu == 0 ? (abs == 0 ? 0 : Double.POSITIVE_INFINITY) : abs / Math.abs(cpu);
        return new Check(model, name, abs, rel, tol.toString(), Check.of(tol.ok(device, cpu)),
                String.format(Locale.ROOT, "device %.8g, cpu %.8g", device, cpu));
    }

    /** Elementwise; maxRel is the largest difference over the largest reference magnitude. */
    public static Check values(String model, String name, double[] device, double[] cpu, Tol tol) {
        if (device.length != cpu.length)
            return new Check(model, name, Double.NaN, Double.NaN, tol.toString(), Check.Status.FAIL,
                    "device has " + device.length + " values, cpu " + cpu.length);
        double maxAbs = 0, maxRef = 0;
        int worst = -1, bad = 0;
        for (int i = 0; i < cpu.length; i++) {
            double d = Math.abs(device[i] - cpu[i]);
            if (Double.isNaN(d)) d = Double.POSITIVE_INFINITY;
            if (!tol.ok(device[i], cpu[i])) bad++;
            if (d > maxAbs || worst < 0) {
                maxAbs = Math.max(maxAbs, d);
                worst = i;
            }
            maxRef = Math.max(maxRef, Math.abs(cpu[i]));
        }
        double rel = maxRef == 0 ? (maxAbs == 0 ? 0 : Double.POSITIVE_INFINITY) : maxAbs / maxRef;
        String detail = cpu.length == 0 ? "no values" : String.format(Locale.ROOT, "%d values, %d outside; worst #%d: device %.8g, cpu %.8g",
                cpu.length, bad, worst, device[worst], cpu[worst]);
        return new Check(model, name, maxAbs, rel, tol.toString(), Check.of(bad == 0 && cpu.length > 0), detail);
    }

    public static Check values(String model, String name, float[] device, float[] cpu, Tol tol) {
        return values(model, name, widen(device), widen(cpu), tol);
    }

    /** Per tensor: max |g_dev - g_cpu| <= ofMax * max |g_cpu| (gradients have no natural per-element scale). */
    public static Check gradients(String model, String name, Map<String, float[]> device, Map<String, float[]> cpu, double ofMax) {
        double worstRatio = 0, worstAbs = 0;
        String worstName = "-";
        for (var e : cpu.entrySet()) {
            float[] c = e.getValue(), d = device.get(e.getKey());
            if (d == null || d.length != c.length)
                return new Check(model, name, Double.NaN, Double.NaN, "rel " + ofMax + " of max", Check.Status.FAIL,
                        "tensor " + e.getKey() + " missing or of another size on the device");
            double maxAbs = 0, maxRef = 0;
            for (int i = 0; i < c.length; i++) {
                double diff = Math.abs(d[i] - c[i]);
                maxAbs = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : Math.max(maxAbs, diff);
                maxRef = Math.max(maxRef, Math.abs(c[i]));
            }
            double ratio = maxRef == 0 ? (maxAbs == 0 ? 0 : Double.POSITIVE_INFINITY) : maxAbs / maxRef;
            if (ratio > worstRatio || worstName.equals("-")) {
                worstRatio = Math.max(worstRatio, ratio);
                worstAbs = maxAbs;
                worstName = e.getKey();
            }
        }
        return new Check(model, name, worstAbs, worstRatio, String.format(Locale.ROOT, "%.0e of max", ofMax), Check.of(worstRatio <= ofMax),
                cpu.size() + " tensors; worst " + worstName);
    }

    /**
     * Weights after the first AdamW step. At step 1 AdamW moves each weight by exactly
     * lr * u(s g), u(x) = x / (|x| + eps) (m-hat = x, sqrt(v-hat) = |x|), after decoupled decay by
     * (1 - lr wd) <= 1, with s the clip scale. So u is about sign(g): wherever the two devices' gradients
     * straddle zero (|g| below the gradient's rounding noise) the weights legitimately differ by up to
     * 2 lr. The check therefore holds each weight to what the two sides' own gradients imply:
     * |w1_dev - w1_cpu| <= |w0_dev - w0_cpu| + lr |u(s' g') - u(s g)| + atol + rtol |w1_cpu|; the gradients
     * and the starting weights are compared by their own rows. Elements where the signs differ are counted.
     */
    public static Check adamwFirstStep(String model, String name, StepState device, StepState cpu, double eps, double gradClip, Tol tol) {
        if (device.lr() != cpu.lr())
            return new Check(model, name, Double.NaN, Double.NaN, tol.toString(), Check.Status.FAIL,
                    "learning rates differ: device " + device.lr() + ", cpu " + cpu.lr());
        double sDev = clipScale(device.gradNorm(), gradClip), sCpu = clipScale(cpu.gradNorm(), gradClip), lr = cpu.lr();
        double maxAbs = 0, maxRef = 0, worstExcess = Double.NEGATIVE_INFINITY;
        long n = 0, flips = 0, bad = 0;
        String worst = "-";
        for (var e : cpu.after().entrySet()) {
            String t = e.getKey();
            float[] w1c = e.getValue(), w1d = device.after().get(t), w0c = cpu.before().get(t), w0d = device.before().get(t);
            float[] gc = cpu.grads().get(t), gd = device.grads().get(t);
            if (w1d == null || w0c == null || w0d == null || gc == null || gd == null || w1d.length != w1c.length)
                return new Check(model, name, Double.NaN, Double.NaN, tol.toString(), Check.Status.FAIL, "tensor " + t + " missing on one side");
            for (int i = 0; i < w1c.length; i++) {
                double a = sCpu * gc[i], b = sDev * gd[i];
                if (a * b < 0) flips++;
                double allowed = Math.abs((double) w0d[i] - w0c[i]) + lr * Math.abs(u(b, eps) - u(a, eps)) + tol.atol()
                        + tol.rtol() * Math.abs(w1c[i]);
                double diff = Math.abs((double) w1d[i] - w1c[i]);
                if (Double.isNaN(diff)) diff = Double.POSITIVE_INFINITY;
                maxAbs = Math.max(maxAbs, diff);
                maxRef = Math.max(maxRef, Math.abs(w1c[i]));
                if (!(diff <= allowed)) bad++;
                if (diff - allowed > worstExcess) {
                    worstExcess = diff - allowed;
                    worst = t + "[" + i + "]";
                }
                n++;
            }
        }
        String detail = String.format(Locale.ROOT, "%d weights, %d outside the AdamW bound (worst %s by %.3g), %d gradient sign flips, lr %.3g",
                n, bad, worst, worstExcess, flips, lr);
        return new Check(model, name, maxAbs, maxRef == 0 ? 0 : maxAbs / maxRef, "bound+" + tol, Check.of(bad == 0 && n > 0), detail);
    }

    /** AdamW's first-step update direction for a (clipped) gradient x. */
    static double u(double x, double eps) {
        return x / (Math.abs(x) + eps);
    }

    /** The clip scale AdamWOptimizer applies: gradClip / (norm + 1e-6) when the norm exceeds gradClip. */
    static double clipScale(double norm, double gradClip) {
        return gradClip > 0 && norm > gradClip ? (float) (gradClip / (norm + 1e-6)) : 1.0;
    }

    /**
     * Sampled token sequences. mustMatch: every sequence identical (fp32); otherwise only reported
     * (INFO), with how many agree and the mean shared prefix.
     */
    public static Check tokens(String model, String name, List<int[]> device, List<int[]> cpu, boolean mustMatch) {
        if (device.size() != cpu.size())
            return new Check(model, name, Double.NaN, Double.NaN, mustMatch ? "exact" : "-", Check.Status.FAIL,
                    "device has " + device.size() + " sequences, cpu " + cpu.size());
        int same = 0, firstDiff = -1, firstAt = -1;
        long tokens = 0, prefix = 0;
        for (int i = 0; i < cpu.size(); i++) {
            int[] a = device.get(i), b = cpu.get(i);
            int p = commonPrefix(a, b);
            prefix += p;
            tokens += b.length;
            if (p == a.length && p == b.length) same++;
            else if (firstDiff < 0) {
                firstDiff = i;
                firstAt = p;
            }
        }
        String detail = String.format(Locale.ROOT, "%d of %d sequences identical, %d of %d cpu tokens in the shared prefixes", same,
                cpu.size(), prefix, tokens) + (firstDiff < 0 ? "" : "; first difference: sequence " + firstDiff + " at token " + firstAt);
        Check.Status st = mustMatch ? Check.of(same == cpu.size() && !cpu.isEmpty()) : Check.Status.INFO;
        return new Check(model, name, cpu.size() - same, Double.NaN, mustMatch ? "exact" : "reported", st, detail);
    }

    static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length), i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }

    /** A row that could not be compared (the run failed or found nothing to compare): always FAIL. */
    public static Check failed(String model, String name, String why) {
        return new Check(model, name, Double.NaN, Double.NaN, "-", Check.Status.FAIL, why);
    }

    public static Check info(String model, String name, String detail) {
        return new Check(model, name, Double.NaN, Double.NaN, "-", Check.Status.INFO, detail);
    }

    static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
