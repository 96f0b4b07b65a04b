package rift.kernels.cuda;

import rift.kernels.Tensor;
import rift.kernels.Write;

/**
 * The CUDA backend's streaming element-wise ops (elementwise.cuh): SwiGLU and its backward, add, scale, the
 * single-tensor AdamW and sum of squares. The host side of each: shape checks, the launch, the profile's byte
 * count. CudaBackend's methods of the same names enter the backend and call these; the multi-tensor forms are
 * in CudaMultiTensor.
 */
final class CudaElementwise {
    private CudaElementwise() {}

    static void swiglu(CudaBackend be, Tensor out, Tensor gate, Tensor up) {
        CudaTensor O = be.of(out), G = be.of(gate), U = be.of(up);
        long n = G.numel();
        CudaBackend.require(U.numel() >= n && O.numel() >= n, "swiglu", out, gate, up);
        be.launch(Kernels.SWIGLU_FWD, CudaBackend.grid8(n), 1, 0, O.address(), O.dtype().flag(), G.address(), G.dtype().flag(),
                U.address(), U.dtype().flag(), n);
        be.done("swiglu", 0, n * (O.dtype().bytes() + G.dtype().bytes() + U.dtype().bytes()));
    }

    static void swigluBackward(CudaBackend be, Write write, Tensor dGate, Tensor dUp, Tensor dOut, Tensor gate, Tensor up) {
        CudaTensor G = be.of(gate), U = be.of(up), DO = be.of(dOut);
        CudaTensor DG = dGate == null ? null : be.of(dGate), DU = dUp == null ? null : be.of(dUp);
        long n = G.numel();
        CudaBackend.require(U.numel() >= n && DO.numel() >= n && (DG == null || DG.numel() >= n) && (DU == null || DU.numel() >= n),
                "swigluBackward", dOut, gate, up);
        boolean set = write == Write.SET;
        be.launch(Kernels.SWIGLU_BWD, CudaBackend.grid8(n), 1, 0, DG == null ? null : DG.address(), DG == null ? 0 : DG.dtype().flag(),
                DU == null ? null : DU.address(), DU == null ? 0 : DU.dtype().flag(), DO.address(), DO.dtype().flag(),
                G.address(), G.dtype().flag(), U.address(), U.dtype().flag(), n, set ? 1 : 0);
        // reads dOut, gate, up; dGate and dUp are written (SET) or read and written (ADD)
        int passes = set ? 1 : 2;
        be.done("swigluBackward", 0, n * (DO.dtype().bytes() + G.dtype().bytes() + U.dtype().bytes()
                + passes * ((DG == null ? 0 : DG.dtype().bytes()) + (DU == null ? 0 : DU.dtype().bytes()))));
    }

    static void add(CudaBackend be, Tensor out, Tensor a, Tensor b) {
        CudaTensor O = be.of(out), A = be.of(a), B = be.of(b);
        long n = A.numel();
        CudaBackend.require(B.numel() >= n && O.numel() >= n, "add", out, a, b);
        be.launch(Kernels.ADD, CudaBackend.grid8(n), 1, 0, O.address(), O.dtype().flag(), A.address(), A.dtype().flag(), B.address(),
                B.dtype().flag(), n);
        be.done("add", 0, n * (O.dtype().bytes() + A.dtype().bytes() + B.dtype().bytes()));
    }

    static void scale(CudaBackend be, Tensor t, float s) {
        CudaTensor T = be.of(t);
        long n = T.numel();
        be.launch(Kernels.SCALE, CudaBackend.grid8(n), 1, 0, T.address(), T.dtype().flag(), s, n);
        be.done("scale", 0, 2 * T.bytes());
    }

    static void adamw(CudaBackend be, Tensor p, Tensor g, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                      float weightDecay, int step, float gradScale, Tensor shadow) {
        AdamWScalars k = AdamWScalars.of(lr, beta1, beta2, step);
        CudaTensor P = be.of(p), G = be.of(g), M = be.of(m), V = be.of(v), S = shadow == null ? null : be.of(shadow);
        long n = CudaMultiTensor.checkAdamw(P, G, M, V, S);
        be.launch(Kernels.ADAMW, CudaBackend.grid8(n), 1, 0, P.address(), P.dtype().flag(), G.address(), G.dtype().flag(), M.address(),
                M.dtype().flag(), V.address(), V.dtype().flag(), n, gradScale, k.w1(), beta2, k.w2(), k.bc2Sqrt(), eps,
                k.decay(weightDecay), k.negStep(), S == null ? null : S.address(), S == null ? 0 : S.dtype().flag());
        be.done("adamw", 0, 0);
    }

    /** Sum of squares in double: fixed chunks (from numel alone) and a fixed tree, then one download. */
    static double sumSquares(CudaBackend be, Tensor t) {
        CudaTensor T = be.of(t);
        long n = T.numel();
        if (n == 0) return 0;
        int parts = CudaMultiTensor.sumSquaresParts(n);
        Gpu.Memory partial = be.scratch("sumsq.partial", 8L * parts);
        Gpu.Memory result = be.scratch("sumsq.result", 8);
        be.launch(Kernels.SUMSQ_PARTIAL, parts, 1, 0, partial.address, T.address(), T.dtype().flag(), n,
                CudaMultiTensor.sumSquaresChunk(n, parts));
        be.launch(Kernels.SUM_FINISH, 1, 1, 0, result.address, partial.address, parts);
        double[] out = new double[1];
        be.dev.read(out, result, 8);
        return out[0];
    }
}
