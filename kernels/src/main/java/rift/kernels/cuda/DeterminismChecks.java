package rift.kernels.cuda;

import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.kernels.cuda.ParityChecks.Result;

/**
 * The device against itself: the backwards that add into shared rows (attention, the LM head, the
 * embedding) run twice, and must give the same bits; so must an LM head backward that recomputes its
 * logits, or runs after another forward made the kept ones stale.
 */
final class DeterminismChecks extends ParityCheckGroup {
    DeterminismChecks(ParityChecks suite) {
        super(suite);
    }

    Result deterministicAttention() {
        AttentionChecks.AttnCase a = AttentionChecks.ATTENTION_CASES.get(0);
        int N = a.seqStart()[a.seqStart().length - 1];
        float scale = 0.125f;
        Tensor q = devIn(rnd(N * a.hq() * a.hd(), 1)), k = devIn(rnd(N * a.hkv() * a.hd(), 1)), v = devIn(rnd(N * a.hkv() * a.hd(), 1));
        Tensor o = dev.zeros(N, a.hq() * a.hd()), lse = f32(N, a.hq()), dOut = devIn(rnd(N * a.hq() * a.hd(), 1));
        dev.attention(o, lse, q, k, v, a.seqStart(), a.hq(), a.hkv(), a.hd(), scale);
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            Tensor dq = dev.zeros(N, a.hq() * a.hd()), dk = dev.zeros(N, a.hkv() * a.hd()), dv = dev.zeros(N, a.hkv() * a.hd());
            dev.attentionBackward(dq, dk, dv, dOut, o, lse, q, k, v, a.seqStart(), a.hq(), a.hkv(), a.hd(), scale);
            runs[r] = concat(concat(dev.download(dq), dev.download(dk)), dev.download(dv));
        }
        return exact("deterministic attentionBackward", java.util.Arrays.equals(runs[0], runs[1]), "two runs, dq dk dv bitwise");
    }

    Result deterministicHead() {
        int N = 37, D = 64, V = 1000;
        Tensor h = devIn(rnd(N * D, 2)).view(N, D), normW = devIn(rnd(D, 1)), w = devIn(rnd(V * D, 0.5)).view(V, D);
        int[] targets = ints(N, 0, V);
        float[] dLogp = rnd(N, 1), dEnt = rnd(N, 1);
        // run 0 and 1: as configured (the CUDA backend keeps the forward's logits for the backward); run 2: the
        // backward recomputes them (no keep budget); run 3: a second forward in between makes the first's kept
        // logits stale, so its backward must recompute too. All four must agree bit for bit.
        float[][] runs = new float[4][];
        Tensor other = devIn(rnd(N * D, 2)).view(N, D);
        for (int r = 0; r < 4; r++) {
            long budget = dev instanceof CudaBackend cb ? cb.headKeepLogitsBytes : 0;
            if (r == 2 && dev instanceof CudaBackend cb) cb.headKeepLogitsBytes = 0;
            try {
                Backend.HeadResult res = dev.lmHead(h, normW, 1e-6f, w, targets, true, false);
                if (r == 3) dev.lmHead(other, normW, 1e-6f, w, targets, true, false); // other logits in the kept buffer
                Tensor dh = dev.zeros(N, D), dn = dev.zeros(D), dW = dev.zeros(V, D);
                dev.lmHeadBackward(dh, dn, dW, dLogp, dEnt, res, h, normW, w, targets);
                runs[r] = concat(concat(concat(res.logp(), dev.download(dh)), dev.download(dn)), dev.download(dW));
            } finally {
                if (dev instanceof CudaBackend cb) cb.headKeepLogitsBytes = budget;
            }
        }
        boolean same = true;
        for (int r = 1; r < 4; r++) same &= java.util.Arrays.equals(runs[0], runs[r]);
        return exact("deterministic lmHeadBackward", same, "two runs, a recomputing run and a run after another forward: logp dh dNormW dW bitwise");
    }

    Result deterministicEmbedding() {
        int V = 64, D = 48, N = 1000;
        Tensor dOut = devIn(rnd(N * D, 1)).view(N, D);
        int[] ids = ints(N, 0, 8);
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            Tensor t = dev.zeros(V, D);
            dev.embeddingBackward(t, ids, dOut);
            runs[r] = dev.download(t);
        }
        return exact("deterministic embeddingBackward", java.util.Arrays.equals(runs[0], runs[1]), "two runs bitwise");
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
