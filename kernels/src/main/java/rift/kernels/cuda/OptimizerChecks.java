package rift.kernels.cuda;

import java.util.ArrayList;
import java.util.List;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.kernels.cuda.ParityChecks.Result;

/**
 * Parity of what an optimizer step runs: sumSquares (the gradient norm) over one tensor, a list and many
 * tensors of mixed sizes and types; AdamW plain, with a shadow copy and over many tensors in one call; and
 * zeroing many tensors in one call. Multi-tensor forms must also equal the device's own single-tensor calls
 * bit for bit.
 */
final class OptimizerChecks extends ParityCheckGroup {
    OptimizerChecks(ParityChecks suite) {
        super(suite);
    }

    Result sumSquares() {
        Pair p = in(rnd(100_003, 1.5), 100_003);
        double c = cpu.sumSquares(p.c()), d = dev.sumSquares(p.d());
        double e = Math.abs(d - c) / c;
        return new Result("sumSquares", e <= 1e-12, e, 1e-12, "cpu " + c + ", device " + d);
    }

    /** The batched form (one read for all): each entry as the CPU's, and bit for bit as the device's single call. */
    Result sumSquaresList() {
        Pair a = in(rnd(100_003, 1.5), 100_003), b = in(rnd(7, 1), 7), c = in(rnd(5_000_000, 0.5), 5_000_000);
        Tensor empty = dev.zeros(0);
        java.util.List<Tensor> ts = java.util.List.of(a.d(), b.d(), empty, c.d());
        double[] d = dev.sumSquares(ts);
        double[] ref = {cpu.sumSquares(a.c()), cpu.sumSquares(b.c()), 0, cpu.sumSquares(c.c())};
        double worst = 0;
        boolean sameBits = true;
        for (int i = 0; i < ref.length; i++) {
            worst = Math.max(worst, ref[i] == 0 ? Math.abs(d[i]) : Math.abs(d[i] - ref[i]) / ref[i]);
            sameBits &= Double.doubleToLongBits(d[i]) == Double.doubleToLongBits(dev.sumSquares(ts.get(i)));
        }
        return new Result("sumSquares (list)", worst <= 1e-12 && sameBits, worst, 1e-12, java.util.Arrays.toString(d)
                + (sameBits ? "" : "; differs from the single-tensor calls"));
    }

    /** Tensor sizes of the multi-tensor checks: empty, one element, under a block, just past a chunk, many chunks. */
    private static final int[] MULTI_SIZES = {0, 1, 255, 4097, 300_000};

    /**
     * The multi-tensor form over every size in the storage type and in fp32 (bf16 inputs are rounded for
     * both sides, so only summation order differs from the CPU): each total as the CPU's, and bit for bit
     * as the device's single-tensor call.
     */
    Result sumSquaresMixed() {
        List<Pair> ps = new ArrayList<>();
        for (int n : MULTI_SIZES) {
            ps.add(in(rnd(n, 1.5), n));
            ps.add(inF32(rnd(n, 0.5), n));
        }
        double[] d = dev.sumSquares(ps.stream().map(Pair::d).toList());
        double worst = 0;
        boolean sameBits = true;
        for (int i = 0; i < ps.size(); i++) {
            double ref = cpu.sumSquares(ps.get(i).c());
            worst = Math.max(worst, ref == 0 ? Math.abs(d[i]) : Math.abs(d[i] - ref) / ref);
            sameBits &= Double.doubleToRawLongBits(d[i]) == Double.doubleToRawLongBits(dev.sumSquares(ps.get(i).d()));
        }
        return new Result("sumSquares (multi-tensor, mixed sizes and types)", worst <= 1e-12 && sameBits, worst, 1e-12,
                java.util.Arrays.toString(d) + (sameBits ? "" : "; differs from the single-tensor calls"));
    }

    Result adamw() {
        int n = 4099;
        float[] v0 = rnd(n, 1e-3);
        for (int i = 0; i < n; i++) v0[i] = Math.abs(v0[i]);
        Pair p = inF32(rnd(n, 1), n), m = inF32(rnd(n, 1e-2), n), v = inF32(v0, n), g = in(rnd(n, 1), n);
        cpu.adamw(p.c(), g.c(), m.c(), v.c(), 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 3, 0.5f);
        dev.adamw(p.d(), g.d(), m.d(), v.d(), 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 3, 0.5f);
        return cmp().tensor("p", p).tensor("m", m).tensor("v", v).result("adamw", 1e-6);
    }

    /**
     * AdamW writing the model's copy too (fp32 masters, storage-type weights): the copy must equal the
     * device's own conversion of its updated master bit for bit, and the CPU's update within the storage's
     * rounding.
     */
    Result adamwShadow() {
        int n = 4099;
        float[] v0 = rnd(n, 1e-3);
        for (int i = 0; i < n; i++) v0[i] = Math.abs(v0[i]);
        Pair p = inF32(rnd(n, 1), n), m = inF32(rnd(n, 1e-2), n), v = inF32(v0, n), g = in(rnd(n, 1), n);
        Pair shadow = out(n);
        cpu.adamw(p.c(), g.c(), m.c(), v.c(), 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 3, 0.5f, shadow.c());
        dev.adamw(p.d(), g.d(), m.d(), v.d(), 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 3, 0.5f, shadow.d());
        Tensor converted = dev.zeros(n);
        dev.copy(converted, p.d());
        boolean same = java.util.Arrays.equals(dev.download(converted), dev.download(shadow.d()));
        Result r = cmp().tensor("p", p).tensor("shadow", shadow).result("adamw (shadow copy)", tolFwd);
        return new Result(r.name(), r.pass() && same, r.error(), r.tolerance(), r.detail() + (same ? "" : "; shadow differs from copy(p)"));
    }

    /** One tensor of the multi-tensor AdamW check: its size, whether p is stored in bf16, a shadow, its weight decay. */
    private record AdamWCase(int n, boolean bf16Param, boolean shadow, float weightDecay) {}

    /** Every size with and without decay; fp32 masters with and without a shadow, and bf16 parameters. */
    private static final List<AdamWCase> ADAMW_CASES = List.of(new AdamWCase(300_000, false, true, 0.1f),
            new AdamWCase(4097, true, false, 0.1f), new AdamWCase(255, false, false, 0f), new AdamWCase(1, false, true, 0f),
            new AdamWCase(0, false, true, 0.1f), new AdamWCase(300_000, true, false, 0f), new AdamWCase(4097, false, true, 0f),
            new AdamWCase(255, true, false, 0.1f), new AdamWCase(1, true, false, 0.1f), new AdamWCase(0, true, false, 0f),
            new AdamWCase(4097, false, false, 0.1f), new AdamWCase(255, false, true, 0.1f));

    /** The state of one AdamW tensor on one side (shadow null when the case has none). */
    private record AdamWState(Tensor p, Tensor g, Tensor m, Tensor v, Tensor shadow) {
        Backend.AdamWSlot slot(float weightDecay) {
            return new Backend.AdamWSlot(p, g, m, v, shadow, weightDecay);
        }
    }

    /** Backend.zero(List): every listed tensor all zeros (fp32 and storage type, sizes with 2-byte tails), a bystander intact. */
    Result zeroMulti() {
        int[] sizes = {0, 1, 3, 4097, 300000, 70001};
        List<Tensor> listed = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            for (boolean storage : new boolean[] {false, true}) {
                Tensor t = storage && bf16 ? bf16Tensor(sizes[i]) : f32(sizes[i]);
                dev.upload(t, rnd(sizes[i], 1));
                listed.add(t);
            }
        }
        float[] keep = rnd(5000, 1);
        Tensor bystander = f32(5000);
        dev.upload(bystander, keep);
        dev.zero(listed);
        int nonZero = 0;
        for (Tensor t : listed) for (float x : dev.download(t)) if (Float.floatToRawIntBits(x) != 0) nonZero++;
        boolean intact = sameBits(dev.download(bystander), keep);
        return exact("zero (multi-tensor)", nonZero == 0 && intact, listed.size() + " tensors: " + nonZero + " values not +0"
                + (intact ? "" : "; a tensor not in the list changed"));
    }

    /**
     * AdamW over many tensors in one call, three steps (the learning rate changes once, so the device's
     * tensor table is both rewritten and reused): every output bit for bit as one device call per tensor,
     * and as the CPU within the adamw tolerance (fp32 outputs) or bf16's (outputs stored in bf16).
     */
    Result adamwMulti() {
        List<AdamWState> cpuState = new ArrayList<>(), single = new ArrayList<>(), multi = new ArrayList<>();
        for (AdamWCase k : ADAMW_CASES) {
            float[] p0 = rnd(k.n, 1), g0 = rnd(k.n, 1), m0 = rnd(k.n, 1e-2), v0 = rnd(k.n, 1e-3);
            for (int i = 0; i < k.n; i++) v0[i] = Math.abs(v0[i]);
            if (bf16) g0 = Bf16.roundAll(g0); // gradients are storage-type tensors: both sides see the same values
            if (k.bf16Param) p0 = Bf16.roundAll(p0);
            cpuState.add(adamwState(cpu, cpu.zeros(k.n), p0, g0, m0, v0, k.shadow));
            single.add(adamwState(dev, k.bf16Param ? bf16Tensor(k.n) : f32(k.n), p0, g0, m0, v0, k.shadow));
            multi.add(adamwState(dev, k.bf16Param ? bf16Tensor(k.n) : f32(k.n), p0, g0, m0, v0, k.shadow));
        }
        float[] lrs = {1e-3f, 2e-3f, 2e-3f};
        for (int step = 1; step <= lrs.length; step++) {
            float lr = lrs[step - 1], scale = step == 1 ? 0.5f : 1f;
            List<Backend.AdamWSlot> cpuSlots = new ArrayList<>(), multiSlots = new ArrayList<>();
            for (int i = 0; i < ADAMW_CASES.size(); i++) {
                float wd = ADAMW_CASES.get(i).weightDecay;
                AdamWState s = single.get(i);
                dev.adamw(s.p, s.g, s.m, s.v, lr, 0.9f, 0.999f, 1e-8f, wd, step, scale, s.shadow);
                cpuSlots.add(cpuState.get(i).slot(wd));
                multiSlots.add(multi.get(i).slot(wd));
            }
            cpu.adamw(cpuSlots, lr, 0.9f, 0.999f, 1e-8f, step, scale);
            dev.adamw(multiSlots, lr, 0.9f, 0.999f, 1e-8f, step, scale);
        }
        Compare fp32Out = cmp(), bf16Out = cmp();
        StringBuilder differs = new StringBuilder();
        for (int i = 0; i < ADAMW_CASES.size(); i++) {
            AdamWState c = cpuState.get(i), s = single.get(i), m = multi.get(i);
            String at = "#" + i + " n=" + ADAMW_CASES.get(i).n + " ";
            Tensor[][] outputs = {{c.p, s.p, m.p}, {c.m, s.m, m.m}, {c.v, s.v, m.v}, {c.shadow, s.shadow, m.shadow}};
            String[] names = {"p", "m", "v", "shadow"};
            for (int o = 0; o < outputs.length; o++) {
                Tensor[] t = outputs[o];
                if (t[0] == null) continue;
                float[] got = dev.download(t[2]);
                if (!sameBits(got, dev.download(t[1]))) differs.append(' ').append(at).append(names[o]);
                (storesBf16(t[2]) ? bf16Out : fp32Out).arrays(at + names[o], got, cpu.download(t[0]));
            }
        }
        boolean pass = fp32Out.worst <= 1e-6 && bf16Out.worst <= 2e-2 && differs.isEmpty();
        String detail = pass // 40-odd outputs: name them only when something is off
                ? String.format("fp32 outputs %.2e, bf16 outputs %.2e (tolerance 2e-2); same bits as the single-tensor calls",
                        fp32Out.worst, bf16Out.worst)
                : "fp32 outputs: " + fp32Out.detail + "; bf16 outputs (tolerance 2e-2): " + bf16Out.detail
                        + (differs.isEmpty() ? "" : "; differs from the single-tensor calls:" + differs);
        return new Result("adamw (multi-tensor)", pass, fp32Out.worst, 1e-6, detail);
    }

    /** One AdamW tensor set on backend b with p in the given tensor, fp32 moments and a storage-type gradient and shadow. */
    private static AdamWState adamwState(Backend b, Tensor p, float[] p0, float[] g0, float[] m0, float[] v0, boolean shadow) {
        int n = p0.length;
        Tensor g = b.zeros(n), m = b.zerosF32(n), v = b.zerosF32(n);
        b.upload(p, p0.clone());
        b.upload(g, g0.clone());
        b.upload(m, m0.clone());
        b.upload(v, v0.clone());
        return new AdamWState(p, g, m, v, shadow ? b.zeros(n) : null);
    }

    /** A bf16 tensor on the device under test whatever its storage type (a CPU stand-in stores fp32). */
    private Tensor bf16Tensor(int... shape) {
        return dev instanceof CudaBackend cb ? cb.zeros(DType.BF16, shape) : dev.zeros(shape);
    }

    private static boolean storesBf16(Tensor t) {
        return t instanceof CudaTensor ct && ct.dtype() == DType.BF16;
    }

    private static boolean sameBits(float[] a, float[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) return false;
        return true;
    }
}
