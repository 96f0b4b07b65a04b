package rift.kernels.cuda;

import rift.kernels.Tensor;
import rift.kernels.cpu.Rope;
import rift.kernels.cuda.ParityChecks.Result;

/**
 * Parity of the decode path: the KV-cache writes (one cache and keys with values in one call), gatherRows,
 * attentionDecode, and a decode-like step replayed through a CUDA graph against the same step run eagerly,
 * bit for bit.
 */
final class DecodeChecks extends ParityCheckGroup {
    DecodeChecks(ParityChecks suite) {
        super(suite);
    }

    /**
     * The keys' and values' kvWrite in one call: exactly the CPU's, and the device's two calls, bit for bit;
     * rows wider than a block of threads, slots and positions out of order, sources with a row more than is written.
     */
    Result kvWritePair() {
        int B = 3, maxT = 10, width = 300;
        float[] k0 = rnd(B * maxT * width, 1), v0 = rnd(B * maxT * width, 1);
        Pair ck = in(k0, B, maxT, width), cv = in(v0, B, maxT, width), k = in(rnd(6 * width, 1), 6, width), v = in(rnd(6 * width, 1), 6, width);
        int[] slot = {0, 2, 1, 2, 0}, pos = {0, 9, 3, 0, 1};
        cpu.kvWrite(ck.c(), cv.c(), k.c(), v.c(), slot, pos);
        dev.kvWrite(ck.d(), cv.d(), k.d(), v.d(), slot, pos);
        Tensor uk = devIn(k0, B, maxT, width), uv = devIn(v0, B, maxT, width);
        dev.kvWrite(uk, k.d(), slot, pos);
        dev.kvWrite(uv, v.d(), slot, pos);
        Result r = cmp().tensor("keys", ck).tensor("values", cv).result("kvWrite (keys and values)", 0);
        return bitwise(r, "two kvWrite calls", bits("keys", ck.d(), uk), bits("values", cv.d(), uv));
    }

    Result kvWrite() {
        int B = 3, maxT = 10, width = 24;
        Pair cache = in(rnd(B * maxT * width, 1), B, maxT, width), src = in(rnd(5 * width, 1), 5, width);
        int[] slot = {0, 2, 1, 2, 0}, pos = {0, 9, 3, 0, 1};
        cpu.kvWrite(cache.c(), src.c(), slot, pos);
        dev.kvWrite(cache.d(), src.d(), slot, pos);
        return cmp().tensor("cache", cache).result("kvWrite", 0);
    }

    Result gatherRows() {
        Pair src = in(rnd(10 * 24, 1), 10, 24), dst = in(rnd(6 * 24, 1), 6, 24);
        int[] rows = {3, 0, 9, 3};
        cpu.gatherRows(dst.c(), src.c(), rows);
        dev.gatherRows(dst.d(), src.d(), rows);
        return cmp().tensor("dst", dst).result("gatherRows", 0);
    }

    Result decode(int B, int maxT, int[] lengths, int hq, int hkv, int hd) {
        float scale = (float) (1 / Math.sqrt(hd));
        Pair q = in(rnd(B * hq * hd, 1), B, hq * hd), o = in(rnd(B * hq * hd, 1), B, hq * hd);
        Pair kc = in(rnd(B * maxT * hkv * hd, 1), B, maxT, hkv * hd), vc = in(rnd(B * maxT * hkv * hd, 1), B, maxT, hkv * hd);
        cpu.attentionDecode(o.c(), q.c(), kc.c(), vc.c(), lengths, hq, hkv, hd, scale);
        dev.attentionDecode(o.d(), q.d(), kc.d(), vc.d(), lengths, hq, hkv, hd, scale);
        return cmp().tensor("out", o).result("attentionDecode hd" + hd, tolFwd);
    }

    /**
     * A decode-like step (linear to q, RoPE at each slot's position, the keys' and values' cache writes, decode
     * attention over each slot's length) run 6 times eagerly and 6 times through Backend.repeatable with CUDA
     * graphs on (recorded at the first step, replayed with new positions, lengths and inputs): the outputs must
     * be the same bits at every step, and the graph must really have been recorded and replayed (a refused
     * capture falls back to running the ops, which repeatable allows, but then this GPU cannot use graphs: the
     * check fails and says why).
     */
    Result graphReplay() {
        String name = "graph replay of decode-like steps (same bits as eager)";
        if (!(dev instanceof CudaBackend cb)) return new Result(name, true, 0, 0, "not a CUDA backend");
        int B = 3, maxT = 16, hq = 4, hkv = 2, hd = 64, D = hq * hd, KV = hkv * hd;
        float scale = (float) (1 / Math.sqrt(hd));
        Rope.Table table = Rope.table(maxT, hd, 10000.0, null);
        Tensor w = in(rnd(D * D, 0.1), D, D).d(), x = in(rnd(B * D, 1), B, D).d(), k = in(rnd(B * KV, 1), B, KV).d(), v = in(rnd(B * KV, 1), B, KV).d();
        Tensor[] q = {dev.zeros(B, D), dev.zeros(B, D)}, out = {dev.zeros(B, D), dev.zeros(B, D)};
        Tensor[] kc = {dev.zeros(B, maxT, KV), dev.zeros(B, maxT, KV)}, vc = {dev.zeros(B, maxT, KV), dev.zeros(B, maxT, KV)};
        int[] slots = {0, 1, 2};
        Object key = new Object();
        String mismatch = null, status;
        cb.useGraphs(true);
        int captures0 = cb.graphs.captures(), replays0 = cb.graphs.replays(); // earlier graph use of this backend is not ours
        try {
            for (int step = 0; step < 6 && mismatch == null; step++) {
                int[] pos = {step, step + 3, 2 * step}, len = {step + 1, step + 4, 2 * step + 1};
                dev.upload(x, rnd(B * D, 1));
                dev.upload(k, rnd(B * KV, 1));
                dev.upload(v, rnd(B * KV, 1));
                for (int path = 1; path >= 0; path--) { // the replay first, so that the eager run cannot stage its index arrays for it
                    int p = path;
                    Runnable ops = () -> {
                        dev.linear(q[p], x, w, null);
                        dev.rope(q[p], hq, hd, pos, table);
                        dev.kvWrite(kc[p], vc[p], k, v, slots, pos);
                        dev.attentionDecode(out[p], q[p], kc[p], vc[p], len, hq, hkv, hd, scale);
                    };
                    if (path == 0) ops.run();
                    else dev.repeatable(key, ops);
                }
                String diff = bitDifferences(dev.download(out[0]), dev.download(out[1]));
                if (diff != null) mismatch = "step " + step + ": " + diff;
            }
        } finally {
            status = cb.graphStatus();
            captures0 = cb.graphs.captures() - captures0;
            replays0 = cb.graphs.replays() - replays0;
            cb.useGraphs(CudaGraphs.enabledByProperty());
        }
        boolean replayed = status.startsWith("on:") && captures0 == 1 && replays0 == 6;
        boolean pass = mismatch == null && replayed;
        return new Result(name, pass, pass ? 0 : 1, 0, (mismatch == null ? "6 steps equal bit for bit" : "replay differs at " + mismatch)
                + "; graphs " + status);
    }
}
