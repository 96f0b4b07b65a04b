package rift.model;

import rift.kernels.Backend;
import rift.kernels.Tensor;

/**
 * Incremental decoding with a KV cache on the same kernels the trainer uses: {@link #prefill} runs the
 * prompts as one packed batch and stores their keys and values; each {@link #step} feeds one new token
 * to each active slot and returns the next-token logits. Finished slots simply stop being passed in.
 * {@link #prefillLogits} and {@link #stepLogits} leave the logits on the backend (for
 * {@link Backend#sample}, so a GPU sends back token ids instead of [B, V] floats); prefill's and step's
 * logits live in separate buffers, so a prefill does not overwrite the rows of the last step.
 */
public final class Decoder {
    private final Transformer m;
    private final Backend be;
    private final ModelConfig c;
    public final int slots, maxT;
    private final Tensor[] kCache, vCache;
    private final int[] lengths;
    // per-step buffers for up to `slots` rows
    private final Tensor x, xn, rstd, q, k, v, qRaw, kRaw, rstdQ, rstdK, att, attFull, qFull, tmp, xMid, g, u, act, logits, prefillOut;
    /** One key per step shape (rows, full batch or not) for Backend.repeatable: a GPU may replay such a step as a graph. */
    private final java.util.Map<Integer, Object> stepKeys = new java.util.HashMap<>();

    public Decoder(Transformer model, int slots, int maxT) {
        this.m = model;
        this.be = model.backend();
        this.c = model.config;
        this.slots = slots;
        this.maxT = Math.min(maxT, c.maxPositionEmbeddings());
        kCache = new Tensor[c.numLayers()];
        vCache = new Tensor[c.numLayers()];
        for (int l = 0; l < c.numLayers(); l++) {
            kCache[l] = be.zeros(slots, this.maxT, c.kvDim());
            vCache[l] = be.zeros(slots, this.maxT, c.kvDim());
        }
        lengths = new int[slots];
        int d = c.hiddenSize(), f = c.intermediateSize();
        x = be.zeros(slots, d);
        xn = be.zeros(slots, d);
        rstd = be.zeros(slots, 1);
        q = be.zeros(slots, c.qDim());
        k = be.zeros(slots, c.kvDim());
        v = be.zeros(slots, c.kvDim());
        qRaw = be.zeros(slots, c.qDim());
        kRaw = be.zeros(slots, c.kvDim());
        rstdQ = be.zeros(slots, c.numHeads());
        rstdK = be.zeros(slots, c.numKvHeads());
        att = be.zeros(slots, c.qDim());
        attFull = be.zeros(slots, c.qDim());
        qFull = be.zeros(slots, c.qDim());
        tmp = be.zeros(slots, d);
        xMid = be.zeros(slots, d);
        g = be.zeros(slots, f);
        u = be.zeros(slots, f);
        act = be.zeros(slots, f);
        logits = be.zeros(slots, c.vocabSize());
        prefillOut = be.zeros(slots, c.vocabSize());
    }

    public int length(int slot) {
        return lengths[slot];
    }

    /** Empties one slot so a new prompt can be prefilled into it. */
    public void free(int slot) {
        lengths[slot] = 0;
    }

    /** Empties every slot. */
    public void reset() {
        java.util.Arrays.fill(lengths, 0);
    }

    /**
     * Runs prompts[i] into slot slotIds[i] (each slot must be empty) and returns the logits of each
     * prompt's last position, [prompts.length, V] row-major.
     */
    public float[] prefill(int[] slotIds, int[][] prompts) {
        return be.download(prefillLogits(slotIds, prompts));
    }

    /** As {@link #prefill}, leaving the logits on the backend: a view valid until the next prefill. */
    public Tensor prefillLogits(int[] slotIds, int[][] prompts) {
        for (int i = 0; i < prompts.length; i++) {
            if (lengths[slotIds[i]] != 0) throw new IllegalStateException("slot " + slotIds[i] + " is not empty");
            if (prompts[i].length == 0) throw new IllegalArgumentException("empty prompt");
            if (prompts[i].length >= maxT) throw new rift.kernels.RiftException("prompt of " + prompts[i].length
                    + " tokens does not fit the KV cache of " + maxT + " positions");
        }
        TokenBatch batch = TokenBatch.of(prompts);
        int n = batch.size();
        Activations a = m.runLayers(batch);
        int[] slotOfRow = new int[n], posOfRow = new int[n];
        for (int s = 0; s < prompts.length; s++)
            for (int i = batch.seqStart()[s]; i < batch.seqStart()[s + 1]; i++) {
                slotOfRow[i] = slotIds[s];
                posOfRow[i] = batch.positions()[i];
            }
        for (int l = 0; l < c.numLayers(); l++) be.kvWrite(kCache[l], vCache[l], a.k[l].rows(n), a.v[l].rows(n), slotOfRow, posOfRow);
        for (int s = 0; s < prompts.length; s++) lengths[slotIds[s]] = prompts[s].length;
        // logits of the last row of each prompt
        int p = prompts.length;
        int[] lastRows = new int[p];
        for (int s = 0; s < p; s++) lastRows[s] = batch.seqStart()[s + 1] - 1;
        Tensor h = x.rows(p);
        be.gatherRows(h, a.x[c.numLayers()].rows(n), lastRows);
        Tensor out = prefillOut.rows(p);
        be.logits(out, h, m.weights.finalNorm, c.rmsNormEps(), m.weights.lmHead);
        return out;
    }

    /** Feeds tokens[i] to slot slotIds[i]; returns next-token logits [slotIds.length, V]. */
    public float[] step(int[] slotIds, int[] tokens) {
        return be.download(stepLogits(slotIds, tokens));
    }

    /** As {@link #step}, leaving the logits on the backend: a view valid until the next step. */
    public Tensor stepLogits(int[] slotIds, int[] tokens) {
        int n = slotIds.length;
        int[] pos = new int[n], attLen = new int[slots];
        for (int i = 0; i < n; i++) {
            pos[i] = lengths[slotIds[i]];
            if (pos[i] >= maxT) throw new rift.kernels.RiftException("sequence in slot " + slotIds[i] + " reached the KV cache length " + maxT);
            attLen[slotIds[i]] = pos[i] + 1;
        }
        // every slot stepping, in slot order (a full batch): no scatter to slot rows and gather back (2 ops a layer)
        boolean everySlot = n == slots;
        for (int i = 0; i < n && everySlot; i++) everySlot = slotIds[i] == i;
        boolean full = everySlot;
        // the same ops every step of this shape, only ids, positions and lengths change: a GPU may replay them as a graph
        be.repeatable(stepKeys.computeIfAbsent(2 * n + (full ? 1 : 0), key -> new Object()),
                () -> stepOps(slotIds, tokens, pos, attLen, full));
        for (int i = 0; i < n; i++) lengths[slotIds[i]]++;
        return logits.rows(n);
    }

    /** The device work of one decode step (stepLogits): embedding, every layer, the logits of the last position. */
    private void stepOps(int[] slotIds, int[] tokens, int[] pos, int[] attLen, boolean everySlot) {
        int n = slotIds.length;
        Tensor xr = x.rows(n), xnr = xn.rows(n), rs = rstd.rows(n);
        be.embedding(xr, tokens, m.weights.embed);
        // layer 0's input norm; each later layer's comes with the residual add ending the layer before (addRmsNorm below)
        be.rmsNorm(xnr, rs, xr, m.weights.layers[0].inputNorm(), c.rmsNormEps());
        for (int l = 0; l < c.numLayers(); l++) {
            Weights.Layer w = m.weights.layers[l];
            Tensor qr = q.rows(n), kr = k.rows(n), vr = v.rows(n);
            if (c.qkNorm()) { // per-head norm then RoPE in one op each (the bits of rmsNorm + rope)
                be.linear(qRaw.rows(n), xnr, w.q(), w.qBias());
                be.linear(kRaw.rows(n), xnr, w.k(), w.kBias());
                be.rmsNormRope(qr, rstdQ.rows(n), qRaw.rows(n), w.qNorm(), c.rmsNormEps(), c.numHeads(), c.headDim(), pos, m.ropeTable());
                be.rmsNormRope(kr, rstdK.rows(n), kRaw.rows(n), w.kNorm(), c.rmsNormEps(), c.numKvHeads(), c.headDim(), pos, m.ropeTable());
            } else {
                be.linear(qr, xnr, w.q(), w.qBias());
                be.linear(kr, xnr, w.k(), w.kBias());
                be.rope(qr, c.numHeads(), c.headDim(), pos, m.ropeTable());
                be.rope(kr, c.numKvHeads(), c.headDim(), pos, m.ropeTable());
            }
            be.linear(vr, xnr, w.v(), w.vBias());
            be.kvWrite(kCache[l], vCache[l], kr, vr, slotIds, pos);
            if (everySlot) { // row i is slot i: attention reads q and writes att in place
                be.attentionDecode(att, q, kCache[l], vCache[l], attLen, c.numHeads(), c.numKvHeads(), c.headDim(), m.attnScale());
            } else { // attention runs over slot-indexed rows: scatter q to its slots, gather the outputs back
                be.kvWrite(qFull.view(slots, 1, c.qDim()), qr, slotIds, new int[n]);
                be.attentionDecode(attFull, qFull, kCache[l], vCache[l], attLen, c.numHeads(), c.numKvHeads(), c.headDim(), m.attnScale());
                be.gatherRows(att.rows(n), attFull, slotIds);
            }
            Tensor t = tmp.rows(n), mid = xMid.rows(n);
            be.linear(t, att.rows(n), w.o(), w.oBias());
            be.addRmsNorm(mid, xnr, rs, xr, t, w.postNorm(), c.rmsNormEps()); // mid = x + o(att); xn = norm(mid)
            be.linear(g.rows(n), xnr, w.gate(), null);
            be.linear(u.rows(n), xnr, w.up(), null);
            be.swiglu(act.rows(n), g.rows(n), u.rows(n));
            be.linear(t, act.rows(n), w.down(), null);
            if (l + 1 < c.numLayers()) { // x = mid + mlp, and the next layer's input norm of it
                be.addRmsNorm(xr, xnr, rs, mid, t, m.weights.layers[l + 1].inputNorm(), c.rmsNormEps());
            } else {
                be.add(xr, mid, t);
            }
        }
        be.logits(logits.rows(n), x.rows(n), m.weights.finalNorm, c.rmsNormEps(), m.weights.lmHead);
    }
}
