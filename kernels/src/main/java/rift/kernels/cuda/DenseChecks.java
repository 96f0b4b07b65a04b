package rift.kernels.cuda;

import rift.kernels.Write;
import rift.kernels.cpu.Gemm;
import rift.kernels.cuda.ParityChecks.Result;

/**
 * Parity of the dense products: linear (with and without a bias) and its backward, and the CUDA backend's
 * internal strided-batched GEMM in all four transpose pairs against the CPU reference GEMM.
 */
final class DenseChecks extends ParityCheckGroup {
    DenseChecks(ParityChecks suite) {
        super(suite);
    }

    Result linear(boolean withBias) {
        int n = 37, in = 70, outF = 45;
        Pair x = in(rnd(n * in, 1), n, in), w = in(rnd(outF * in, 0.2), outF, in), y = out(n, outF);
        Pair b = withBias ? in(rnd(outF, 1), outF) : null;
        cpu.linear(y.c(), x.c(), w.c(), b == null ? null : b.c());
        dev.linear(y.d(), x.d(), w.d(), b == null ? null : b.d());
        return cmp().tensor("y", y).result(withBias ? "linear+bias" : "linear", tolFwd);
    }

    /** With Write.SET, dx starts from random values that the op must not read (the CPU zeroes then accumulates). */
    Result linearBackward(Write dxWrite) {
        int n = 37, in = 70, outF = 45;
        Pair x = in(rnd(n * in, 1), n, in), w = in(rnd(outF * in, 0.2), outF, in), dy = in(rnd(n * outF, 1), n, outF);
        Pair dx = in(rnd(n * in, 1), n, in), dw = in(rnd(outF * in, 1), outF, in), db = in(rnd(outF, 1), outF);
        cpu.linearBackward(dxWrite, dx.c(), dw.c(), db.c(), dy.c(), x.c(), w.c());
        dev.linearBackward(dxWrite, dx.d(), dw.d(), db.d(), dy.d(), x.d(), w.d());
        return cmp().tensor("dx", dx).tensor("dw", dw).tensor("dBias", db)
                .result(dxWrite == Write.SET ? "linearBackward (dx set)" : "linearBackward", tolBwd);
    }

    /** The internal strided-batched GEMM against the CPU reference, all four transpose pairs (CUDA only). */
    Result gemmBatched() {
        if (!(dev instanceof CudaBackend cb)) return new Result("gemm batched (4 transposes)", true, 0, 0, "CUDA only: skipped");
        int M = 13, N = 11, K = 17, batch = 3;
        Compare cmp = cmp();
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = rnd(batch * M * K, 1), b = rnd(batch * K * N, 1), c = rnd(batch * M * N, 1);
                if (bf16) {
                    a = Bf16.roundAll(a);
                    b = Bf16.roundAll(b);
                    c = Bf16.roundAll(c);
                }
                int lda = ta ? M : K, ldb = tb ? K : N;
                float[] expect = c.clone();
                for (int i = 0; i < batch; i++) {
                    Gemm.reference(ta, tb, M, N, K, 0.5f, a, i * M * K, lda, b, i * K * N, ldb, 0.25f, expect, i * M * N, N);
                }
                CudaTensor A = cb.zeros(batch * M * K), B = cb.zeros(batch * K * N), C = cb.zeros(batch * M * N);
                cb.upload(A, a);
                cb.upload(B, b);
                cb.upload(C, c);
                cb.enter();
                cb.gemmBatched(ta, tb, M, N, K, 0.5f, CudaBackend.mat(A, 0, lda), (long) M * K, CudaBackend.mat(B, 0, ldb),
                        (long) K * N, 0.25f, CudaBackend.mat(C, 0, N), (long) M * N, batch);
                cmp.arrays((ta ? "T" : "N") + (tb ? "T" : "N"), cb.download(C), expect);
            }
        }
        return cmp.result("gemm batched (4 transposes)", tolFwd);
    }
}
