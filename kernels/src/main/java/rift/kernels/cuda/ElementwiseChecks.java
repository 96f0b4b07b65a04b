package rift.kernels.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import rift.kernels.Tensor;
import rift.kernels.Write;
import rift.kernels.cpu.Rope;
import rift.kernels.cuda.ParityChecks.Result;

/**
 * Parity of memory and element-wise ops: upload and download, copy with conversion, zero, scale, add (also
 * in place), SwiGLU forward and backward, and the streaming kernels' 8-wide and scalar paths against each
 * other bit for bit.
 */
final class ElementwiseChecks extends ParityCheckGroup {
    ElementwiseChecks(ParityChecks suite) {
        super(suite);
    }

    Result uploadDownload() {
        Pair p = in(rnd(1001, 3), 7, 143);
        return cmp().tensor("roundtrip", p).result("upload/download", 0);
    }

    Result copyConvert() {
        float[] data = rnd(999, 5);
        Tensor a = f32(999);
        dev.upload(a, data);
        Tensor b = dev.zeros(999);
        dev.copy(b, a); // fp32 -> storage type (a conversion in bf16 mode)
        Tensor c = f32(999);
        dev.copy(c, b); // and back
        boolean storedAsBf16 = dev instanceof CudaBackend cb && cb.options.storage() == DType.BF16;
        float[] expect = storedAsBf16 ? Bf16.roundAll(data) : data;
        return cmp().arrays("fp32->storage", dev.download(b), expect).arrays("storage->fp32", dev.download(c), expect)
                .result("copy+convert", 0);
    }

    Result zero() {
        Pair p = in(rnd(777, 1), 777);
        dev.zero(p.d().rows(700)); // a prefix view: the tail must stay
        float[] expect = cpu.download(p.c());
        java.util.Arrays.fill(expect, 0, 700, 0f);
        return cmp().arrays("prefix zeroed, tail kept", dev.download(p.d()), expect).result("zero", 0);
    }

    Result scale() {
        Pair p = in(rnd(5000, 2), 5000);
        cpu.scale(p.c(), 0.37f);
        dev.scale(p.d(), 0.37f);
        return cmp().tensor("x", p).result("scale", tolFwd);
    }

    Result add() {
        Pair a = in(rnd(3001, 2), 3001), b = in(rnd(3001, 2), 3001), o = out(3001);
        cpu.add(o.c(), a.c(), b.c());
        dev.add(o.d(), a.d(), b.d());
        return cmp().tensor("out", o).result("add", tolFwd);
    }

    Result addAliased() {
        Pair a = in(rnd(3001, 2), 3001), b = in(rnd(3001, 2), 3001);
        cpu.add(a.c(), a.c(), b.c());
        dev.add(a.d(), a.d(), b.d());
        return cmp().tensor("a", a).result("add (out aliases a)", tolFwd);
    }

    Result swiglu() {
        Pair g = in(rnd(4099, 4), 4099), u = in(rnd(4099, 2), 4099), o = out(4099);
        cpu.swiglu(o.c(), g.c(), u.c());
        dev.swiglu(o.d(), g.d(), u.d());
        return cmp().tensor("out", o).result("swiglu", tolFwd);
    }

    /** With Write.SET, dGate and dUp start from random values that the op must not read. */
    Result swigluBackward(Write write) {
        Pair g = in(rnd(4099, 4), 4099), u = in(rnd(4099, 2), 4099), dOut = in(rnd(4099, 1), 4099);
        Pair dg = in(rnd(4099, 1), 4099), du = in(rnd(4099, 1), 4099);
        cpu.swigluBackward(write, dg.c(), du.c(), dOut.c(), g.c(), u.c());
        dev.swigluBackward(write, dg.d(), du.d(), dOut.d(), g.d(), u.d());
        return cmp().tensor("dGate", dg).tensor("dUp", du).result(write == Write.SET ? "swigluBackward (set)" : "swigluBackward", tolFwd);
    }

    /**
     * The streaming element-wise kernels (convert, add, scale, SwiGLU forward and backward, AdamW with a shadow,
     * RoPE forward and backward) take 8 elements per access when every pointer is 16-byte aligned and one at a time otherwise: the same
     * inputs, once in fresh (aligned) tensors and once in tensors starting one element into an allocation,
     * must give the same bits. n = 8 k + 5 reaches the aligned run's scalar tail too.
     */
    Result vectorPaths() {
        if (!(dev instanceof CudaBackend cb)) return new Result("element-wise 8-wide and scalar paths (same bits)", true, 0, 0, "not a CUDA backend");
        int n = 8 * 517 + 5;
        DType st = bf16 ? DType.BF16 : DType.F32;
        float[] a = rnd(n, 2), b = rnd(n, 2), d = rnd(n, 1), m0 = rnd(n, 1e-2), v0 = rnd(n, 1e-3);
        for (int i = 0; i < n; i++) v0[i] = Math.abs(v0[i]);
        Rope.Table ropeTable = Rope.table(128, 32, 10000.0, null);
        StringBuilder bad = new StringBuilder();
        float[][] results = new float[2][];
        List<CudaTensor> allocations = new ArrayList<>(); // the slices' allocations stay reachable while they are used
        for (int misaligned = 0; misaligned < 2; misaligned++) {
            boolean off = misaligned == 1;
            java.util.function.BiFunction<DType, float[], CudaTensor> make = (t, data) -> {
                CudaTensor x = off ? offsetTensor(cb, t, n, allocations) : cb.zeros(t, n);
                cb.upload(x, data);
                return x;
            };
            CudaTensor ta = make.apply(st, a), tb = make.apply(st, b), td = make.apply(st, d);
            CudaTensor sum = make.apply(st, new float[n]), act = make.apply(st, new float[n]), conv = make.apply(st == DType.F32 ? DType.BF16 : DType.F32, new float[n]);
            CudaTensor dg = make.apply(st, b), du = make.apply(st, a);
            CudaTensor p = make.apply(DType.F32, a), g = make.apply(st, d), m = make.apply(DType.F32, m0), v = make.apply(DType.F32, v0);
            CudaTensor shadow = make.apply(DType.BF16, new float[n]);
            cb.add(sum, ta, tb);
            cb.scale(sum, 0.75f);
            cb.swiglu(act, ta, tb);
            cb.swigluBackward(dg, du, td, ta, tb);
            cb.copy(conv, sum);
            cb.adamw(p, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, 3, 0.5f, shadow);
            // RoPE over rows of 3 heads x 32 (pairs 16 apart: two groups of 8 per head) at positions out of order
            int ropeRows = n / 96;
            int[] pos = new int[ropeRows];
            for (int r = 0; r < ropeRows; r++) pos[r] = (r * 37) % 120;
            CudaTensor rot = make.apply(st, a).view(ropeRows, 96), back = make.apply(st, b).view(ropeRows, 96);
            cb.rope(rot, 3, 32, pos, ropeTable);
            cb.ropeBackward(back, 3, 32, pos, ropeTable);
            float[] all = new float[10 * n];
            CudaTensor[] outs = {sum, act, dg, du, conv, p, m, shadow, rot, back};
            for (int k = 0; k < outs.length; k++) {
                float[] got = cb.download(outs[k]);
                System.arraycopy(got, 0, all, k * n, got.length);
            }
            results[misaligned] = all;
            java.lang.ref.Reference.reachabilityFence(allocations);
        }
        String[] names = {"add + scale", "swiglu", "dGate", "dUp", "convert", "adamw p", "adamw m", "adamw shadow", "rope", "ropeBackward"};
        for (int k = 0; k < names.length; k++) {
            String diff = bitDifferences(Arrays.copyOfRange(results[0], k * n, (k + 1) * n), Arrays.copyOfRange(results[1], k * n, (k + 1) * n));
            if (diff != null) bad.append("; ").append(names[k]).append(": ").append(diff);
        }
        String name = "element-wise 8-wide and scalar paths (same bits)";
        return new Result(name, bad.isEmpty(), bad.isEmpty() ? 0 : 1, 0, bad.isEmpty() ? "aligned (8-wide + tail) and misaligned (scalar) runs equal bit for bit" : bad.substring(2));
    }

    /** A tensor of n elements starting one element into a fresh allocation: no pointer into it is 16-byte aligned. */
    private static CudaTensor offsetTensor(CudaBackend cb, DType t, int n, List<CudaTensor> allocations) {
        CudaTensor base = cb.zeros(t, n + 1);
        allocations.add(base);
        return new CudaTensor(cb, cb.dev.slice(base.memory, t.bytes(), (long) n * t.bytes()), t, n);
    }
}
