package rift.kernels.cuda;

import java.util.Arrays;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.kernels.cuda.ParityChecks.Result;

/**
 * Parity of the LM head: the fused norm, logits, log-softmax and entropy forward and its backward over
 * several tilings, the no-grad forward (same bits, and a backward that recomputes), and plain logits.
 */
final class HeadChecks extends ParityCheckGroup {
    HeadChecks(ParityChecks suite) {
        super(suite);
    }

    static final int HEAD_DEFAULT = 0, HEAD_SMALL = 1, HEAD_WIDE = 2;

    Result lmHead(int tiles, boolean backward) {
        // V = 1002: one block row per 1002 floats (not 16-byte aligned: the fold's scalar path); small tiles
        // cut chunks of 384 (aligned: its float4 path) and a last one of 234; wide chunks of 4400 floats reach
        // the float4 path's several-loads-in-flight loop (4 x 256 float4 per round) and its tail, then 600
        boolean smallTiles = tiles == HEAD_SMALL;
        int N = tiles == HEAD_WIDE ? 21 : 37, D = tiles == HEAD_WIDE ? 32 : 64, V = tiles == HEAD_WIDE ? 5000 : 1002;
        String name = (backward ? "lmHeadBackward" : "lmHead") + (smallTiles ? " small tiles" : tiles == HEAD_WIDE ? " wide chunks" : "");
        int[] saveTiles = null;
        if (dev instanceof CudaBackend cb && tiles != HEAD_DEFAULT) {
            saveTiles = new int[] {cb.headRowTile, cb.headVocabChunk};
            cb.headRowTile = smallTiles ? 16 : 8;
            cb.headVocabChunk = smallTiles ? 384 : 4400;
            if (smallTiles) cb.headKeepLogitsBytes = 0; // and the backward recomputes every block (the default tiles keep them)
        }
        try {
            Pair h = in(rnd(N * D, 2), N, D), normW = in(rnd(D, 1), D), w = in(rnd(V * D, 0.5), V, D);
            int[] targets = ints(N, 0, V);
            targets[3] = -1;
            targets[20] = -1;
            targets[N - 1] = V - 1;
            Backend.HeadResult rc = cpu.lmHead(h.c(), normW.c(), 1e-6f, w.c(), targets, true, true);
            Backend.HeadResult rd = dev.lmHead(h.d(), normW.d(), 1e-6f, w.d(), targets, true, true);
            if (!backward) {
                Compare cmp = cmp().arrays("logp", rd.logp(), rc.logp()).arrays("entropy", rd.entropy(), rc.entropy());
                int off = 0, far = 0;
                for (int n = 0; n < N; n++) {
                    int diff = Math.abs(rd.rank()[n] - rc.rank()[n]);
                    if (diff != 0) off++;
                    if (diff > 1) far++;
                }
                // ranks: a near-tie between the target and another logit may flip by one (different GEMM
                // summation orders); allow that for at most 2 rows in fp32, ranks are not compared in bf16
                boolean rankOk = bf16 || (far == 0 && off <= 2);
                Result r = cmp.result(name, tolFwd);
                return new Result(name, r.pass() && rankOk, r.error(), r.tolerance(), r.detail() + "; ranks off " + off + " (by >1: " + far + ")");
            }
            float[] dLogp = rnd(N, 1), dEnt = smallTiles ? rnd(N, 0.5) : null;
            Pair dh = in(rnd(N * D, 1), N, D), dNormW = in(rnd(D, 1), D), dW = in(rnd(V * D, 1), V, D);
            cpu.lmHeadBackward(dh.c(), dNormW.c(), dW.c(), dLogp, dEnt, rc, h.c(), normW.c(), w.c(), targets);
            dev.lmHeadBackward(dh.d(), dNormW.d(), dW.d(), dLogp, dEnt, rd, h.d(), normW.d(), w.d(), targets);
            return cmp().tensor("dh", dh).tensor("dNormW", dNormW).tensor("dW", dW).result(name, tolBwd);
        } finally {
            if (saveTiles != null) {
                CudaBackend cb = (CudaBackend) dev;
                cb.headRowTile = saveTiles[0];
                cb.headVocabChunk = saveTiles[1];
                cb.headKeepLogitsBytes = 4L << 30;
            }
        }
    }

    /**
     * lmHeadNoGrad gives lmHead's results bit for bit without keeping the logits, leaves the logits an
     * earlier lmHead kept valid, and its result still serves a backward (which then recomputes every block):
     * the gradients equal, bit for bit, those of the backward that reads the kept blocks, and the CPU's
     * within the backward tolerance.
     */
    Result lmHeadNoGrad() {
        int N = 37, D = 64, V = 1002;
        String name = "lmHead no-grad";
        Pair h = in(rnd(N * D, 2), N, D), normW = in(rnd(D, 1), D), w = in(rnd(V * D, 0.5), V, D);
        int[] targets = ints(N, 0, V);
        targets[5] = -1;
        Backend.HeadResult rd = dev.lmHead(h.d(), normW.d(), 1e-6f, w.d(), targets, true, true);
        Backend.HeadResult rn = dev.lmHeadNoGrad(h.d(), normW.d(), 1e-6f, w.d(), targets, true, true);
        StringBuilder bad = new StringBuilder();
        String lp = bitDifferences(rn.logp(), rd.logp()), ent = bitDifferences(rn.entropy(), rd.entropy());
        if (lp != null) bad.append("; logp differs from lmHead's: ").append(lp);
        if (ent != null) bad.append("; entropy differs from lmHead's: ").append(ent);
        if (!Arrays.equals(rn.rank(), rd.rank())) bad.append("; ranks differ from lmHead's");
        if (dev instanceof CudaBackend cb && rd instanceof CudaLmHead.Saved kept && rn instanceof CudaLmHead.Saved none) {
            if (none.keptGeneration != 0) bad.append("; the no-grad forward kept its logits");
            if (kept.keptGeneration != cb.headKeptGeneration) bad.append("; the no-grad forward made lmHead's kept logits stale");
        }
        float[] dLogp = rnd(N, 1), dEnt = rnd(N, 0.5);
        Pair dh = in(rnd(N * D, 1), N, D), dNormW = in(rnd(D, 1), D), dW = in(rnd(V * D, 1), V, D);
        Tensor dhN = in(dev.download(dh.d()), N, D).d(), dNormWN = in(dev.download(dNormW.d()), D).d(), dWN = in(dev.download(dW.d()), V, D).d();
        Backend.HeadResult rc = cpu.lmHead(h.c(), normW.c(), 1e-6f, w.c(), targets, true, true);
        cpu.lmHeadBackward(dh.c(), dNormW.c(), dW.c(), dLogp, dEnt, rc, h.c(), normW.c(), w.c(), targets);
        dev.lmHeadBackward(dh.d(), dNormW.d(), dW.d(), dLogp, dEnt, rd, h.d(), normW.d(), w.d(), targets);   // reads the kept blocks
        dev.lmHeadBackward(dhN, dNormWN, dWN, dLogp, dEnt, rn, h.d(), normW.d(), w.d(), targets);      // recomputes them
        for (String[] d : new String[][] {{"dh", bitDifferences(dev.download(dhN), dev.download(dh.d()))},
                {"dNormW", bitDifferences(dev.download(dNormWN), dev.download(dNormW.d()))}, {"dW", bitDifferences(dev.download(dWN), dev.download(dW.d()))}}) {
            if (d[1] != null) bad.append("; ").append(d[0]).append(" from the no-grad result differs: ").append(d[1]);
        }
        Result r = cmp().tensor("dh", dh).tensor("dNormW", dNormW).tensor("dW", dW).result(name, tolBwd);
        return new Result(name, r.pass() && bad.isEmpty(), r.error(), r.tolerance(), r.detail() + (bad.isEmpty() ? "; bitwise equal to lmHead, kept and recomputed" : bad));
    }

    Result logits() {
        int B = 5, D = 64, V = 1000;
        Pair h = in(rnd(B * D, 2), B, D), normW = in(rnd(D, 1), D), w = in(rnd(V * D, 0.5), V, D), o = outF32(B, V);
        cpu.logits(o.c(), h.c(), normW.c(), 1e-6f, w.c());
        dev.logits(o.d(), h.d(), normW.d(), 1e-6f, w.d());
        return cmp().tensor("logits", o).result("logits", tolFwd);
    }
}
