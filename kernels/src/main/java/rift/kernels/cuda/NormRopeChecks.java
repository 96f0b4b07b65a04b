package rift.kernels.cuda;

import rift.kernels.Tensor;
import rift.kernels.Write;
import rift.kernels.cpu.Rope;
import rift.kernels.cuda.ParityChecks.Result;

/**
 * Parity of the ops around the residual stream: embedding and its backward, rmsNorm and its backward, RoPE
 * and its backward, and the fused addRmsNorm and rmsNormRope, which must also equal the device's own
 * unfused ops bit for bit.
 */
final class NormRopeChecks extends ParityCheckGroup {
    NormRopeChecks(ParityChecks suite) {
        super(suite);
    }

    Result embedding() {
        int V = 50, D = 40, N = 64;
        Pair table = in(rnd(V * D, 1), V, D), o = out(N, D);
        int[] ids = ints(N, 0, V);
        cpu.embedding(o.c(), ids, table.c());
        dev.embedding(o.d(), ids, table.d());
        return cmp().tensor("out", o).result("embedding", 0);
    }

    Result embeddingBackward() {
        int V = 50, D = 40, N = 300;
        Pair dTable = in(rnd(V * D, 1), V, D), dOut = in(rnd(N * D, 1), N, D);
        int[] ids = ints(N, 0, V / 2); // repeats, and rows never touched
        cpu.embeddingBackward(dTable.c(), ids, dOut.c());
        dev.embeddingBackward(dTable.d(), ids, dOut.d());
        return cmp().tensor("dTable", dTable).result("embeddingBackward", bf16 ? tolFwd : 0);
    }

    Result rmsNorm(int N, int D) {
        Pair x = in(rnd(N * D, 2), N, D), w = in(rnd(D, 1), D), o = out(N, D), rstd = outF32(N);
        cpu.rmsNorm(o.c(), rstd.c(), x.c(), w.c(), 1e-6f);
        dev.rmsNorm(o.d(), rstd.d(), x.d(), w.d(), 1e-6f);
        return cmp().tensor("out", o).tensor("rstd", rstd).result("rmsNorm D=" + D, tolFwd);
    }

    /** With Write.SET, dx starts from random values that the op must not read. */
    Result rmsNormBackward(int N, int D, Write dxWrite) {
        Pair x = in(rnd(N * D, 2), N, D), w = in(rnd(D, 1), D), o = out(N, D), rstd = outF32(N);
        cpu.rmsNorm(o.c(), rstd.c(), x.c(), w.c(), 1e-6f);
        dev.rmsNorm(o.d(), rstd.d(), x.d(), w.d(), 1e-6f);
        Pair rs = inF32(cpu.download(rstd.c()), N); // both backwards from the same rstd
        Pair g = in(rnd(N * D, 1), N, D), dx = in(rnd(N * D, 1), N, D), dw = in(rnd(D, 1), D);
        cpu.rmsNormBackward(dxWrite, dx.c(), dw.c(), g.c(), x.c(), w.c(), rs.c());
        dev.rmsNormBackward(dxWrite, dx.d(), dw.d(), g.d(), x.d(), w.d(), rs.d());
        return cmp().tensor("dx", dx).tensor("dw", dw).result("rmsNormBackward D=" + D + (dxWrite == Write.SET ? " (dx set)" : ""), tolBwd);
    }

    Result rope(boolean backward) {
        int N = 20, H = 3, hd = 64;
        Rope.Table table = Rope.table(128, hd, 10000.0, null);
        Pair x = in(rnd(N * H * hd, 1), N, H * hd);
        int[] pos = ints(N, 0, 128);
        if (backward) {
            cpu.ropeBackward(x.c(), H, hd, pos, table);
            dev.ropeBackward(x.d(), H, hd, pos, table);
        } else {
            cpu.rope(x.c(), H, hd, pos, table);
            dev.rope(x.d(), H, hd, pos, table);
        }
        return cmp().tensor("x", x).result(backward ? "ropeBackward" : "rope", tolFwd);
    }

    /** Which input the sum of addRmsNorm is written over (the in-place residual update), if any. */
    enum SumAlias { NONE, A, B }

    /**
     * addRmsNorm against the CPU and against the device's add then rmsNorm on copies of the same inputs (sum
     * in the storage type, so bf16 mode checks that the norm reads the rounded sum). The in-place variants
     * write the sum over a or b and keep rstd in the storage type, as the decoder does.
     */
    Result addRmsNorm(int N, int D, SumAlias alias) {
        String name = switch (alias) {
            case NONE -> "addRmsNorm N=" + N + " D=" + D;
            case A -> "addRmsNorm (sum aliases a)";
            case B -> "addRmsNorm (sum aliases b)";
        };
        float[] a0 = rnd(N * D, 2), b0 = rnd(N * D, 1), w0 = rnd(D, 1);
        Pair a = in(a0, N, D), b = in(b0, N, D), w = in(w0, D), o = out(N, D);
        Pair rstd = alias == SumAlias.NONE ? outF32(N) : out(N);
        Pair sum = switch (alias) {
            case NONE -> out(N, D);
            case A -> a;
            case B -> b;
        };
        Tensor ua = devIn(a0, N, D), ub = devIn(b0, N, D), uo = dev.zeros(N, D);
        Tensor ur = alias == SumAlias.NONE ? f32(N) : dev.zeros(N);
        Tensor us = switch (alias) {
            case NONE -> dev.zeros(N, D);
            case A -> ua;
            case B -> ub;
        };
        cpu.addRmsNorm(sum.c(), o.c(), rstd.c(), a.c(), b.c(), w.c(), 1e-6f);
        dev.addRmsNorm(sum.d(), o.d(), rstd.d(), a.d(), b.d(), w.d(), 1e-6f);
        dev.add(us, ua, ub);
        dev.rmsNorm(uo, ur, us, w.d(), 1e-6f);
        Result r = cmp().tensor("sum", sum).tensor("out", o).tensor("rstd", rstd).result(name, tolFwd);
        return bitwise(r, "add + rmsNorm", bits("sum", sum.d(), us), bits("out", o.d(), uo), bits("rstd", rstd.d(), ur));
    }

    /**
     * rmsNormRope (q/k norm per head, then RoPE) against the CPU and against the device's rmsNorm then rope on
     * the same inputs; positions random (out of order, repeated). hd = 48 and 96 rotate pairs that two lanes
     * hold in a one-warp-per-row kernel; x must come out unchanged.
     */
    Result rmsNormRope(int N, int H, int hd) {
        String name = "rmsNormRope " + N + (N == 1 ? " token x " : " tokens x ") + H + " heads hd=" + hd;
        Rope.Table table = Rope.table(128, hd, 10000.0, null);
        float[] x0 = rnd(N * H * hd, 2), w0 = rnd(hd, 1);
        Pair x = in(x0, N, H * hd), w = in(w0, hd), o = out(N, H * hd), rstd = outF32(N, H);
        int[] pos = ints(N, 0, 128);
        cpu.rmsNormRope(o.c(), rstd.c(), x.c(), w.c(), 1e-6f, H, hd, pos, table);
        dev.rmsNormRope(o.d(), rstd.d(), x.d(), w.d(), 1e-6f, H, hd, pos, table);
        Tensor uo = dev.zeros(N, H * hd), ur = f32(N, H);
        dev.rmsNorm(uo, ur, x.d(), w.d(), 1e-6f);
        dev.rope(uo, H, hd, pos, table);
        Result r = cmp().tensor("out", o).tensor("rstd", rstd).tensor("x (unchanged)", x).result(name, tolFwd);
        return bitwise(r, "rmsNorm + rope", bits("out", o.d(), uo), bits("rstd", rstd.d(), ur), bits("x", x.d(), devIn(x0, N, H * hd)));
    }
}
