package rift.model;

import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.kernels.Write;
import rift.kernels.cpu.Rope;

/**
 * A Qwen3 / Qwen2 / Llama 3 decoder with an explicit forward and backward per layer, as llm.c does: no
 * autograd. {@link #forward} runs a packed batch and returns, per token, the log-prob of its target
 * (and optionally the entropy and the target's rank) from the fused final-norm + LM-head + log-softmax;
 * the loss lives outside the model and hands back d loss / d logp (and d loss / d entropy) to
 * {@link #backward}, which accumulates into a gradient {@link Weights}.
 */
public final class Transformer {
    public final ModelConfig config;
    public final Weights weights;
    private final Backend be;
    private final Rope.Table rope;
    private final float attnScale;
    private Activations acts;
    private Pass last;

    public Transformer(ModelConfig config, Weights weights, Backend backend) {
        this.config = config;
        this.weights = weights;
        this.be = backend;
        this.rope = Rope.table(config.maxPositionEmbeddings(), config.headDim(), config.ropeTheta(), config.ropeScaling());
        this.attnScale = (float) (1.0 / Math.sqrt(config.headDim()));
    }

    public Backend backend() {
        return be;
    }

    Rope.Table ropeTable() {
        return rope;
    }

    float attnScale() {
        return attnScale;
    }

    /** What one forward pass leaves for backward and for probes. */
    public static final class Pass {
        public final TokenBatch batch;
        public final int[] targets;
        public final Backend.HeadResult head;
        public final float temperature;
        final Activations acts;
        final Tensor headNorm; // the final norm weight the head used: weights.finalNorm, or a copy scaled by 1/T

        Pass(TokenBatch batch, int[] targets, Backend.HeadResult head, Activations acts, float temperature, Tensor headNorm) {
            this.batch = batch;
            this.targets = targets;
            this.head = head;
            this.acts = acts;
            this.temperature = temperature;
            this.headNorm = headNorm;
        }

        public float[] logp() {
            return head.logp();
        }

        public float[] entropy() {
            return head.entropy();
        }

        public int[] rank() {
            return head.rank();
        }

        /** Residual stream entering layer l (l = 0 is the embedding output; l = L the last layer's output). */
        public Tensor hidden(int l) {
            return acts.x[l].rows(batch.size());
        }
    }

    private Activations activations(int n) {
        if (acts == null || acts.capacity < n) acts = new Activations(config, be, Math.max(n, acts == null ? 0 : acts.capacity));
        return acts;
    }

    /** Runs the decoder layers on a batch; leaves the last hidden states in acts.x[L]. */
    Activations runLayers(TokenBatch batch) {
        return runLayers(batch, null);
    }

    /** The layers over a batch whose input embeddings get embeddingNoise [N x hidden] added first (null: none). */
    private Activations runLayers(TokenBatch batch, float[] embeddingNoise) {
        int n = batch.size();
        for (int p : batch.positions())
            if (p < 0 || p >= config.maxPositionEmbeddings())
                throw new rift.kernels.RiftException("position " + p + " is outside the model's max_position_embeddings ("
                        + config.maxPositionEmbeddings() + "); shorten the sequence or raise max_position_embeddings");
        Activations a = activations(n);
        be.embedding(a.x[0].rows(n), batch.tokens(), weights.embed);
        if (embeddingNoise != null) { // NEFTune: the layers (and the backward) see the noised embeddings
            if (embeddingNoise.length != (long) n * config.hiddenSize())
                throw new IllegalArgumentException("embedding noise has " + embeddingNoise.length + " values, need " + n + " x " + config.hiddenSize());
            Tensor noise = a.tmpD.rows(n); // scratch: the layers write it only after this
            be.upload(noise, embeddingNoise);
            be.add(a.x[0].rows(n), a.x[0].rows(n), noise);
        }
        // layer 0's input norm; each later layer's is computed at the end of the layer before, in one op with
        // the residual add that produces its input (Backend.addRmsNorm, see mlpForward)
        be.rmsNorm(a.xn1[0].rows(n), a.rstd1[0].rows(n), a.x[0].rows(n), weights.layers[0].inputNorm(), config.rmsNormEps());
        for (int l = 0; l < config.numLayers(); l++) layerForward(l, a, n, batch);
        return a;
    }

    /** On entry xn1[l] = norm(x[l]) (and rstd1[l]) is computed; on exit x[l + 1], and xn1[l + 1] when there is a next layer. */
    private void layerForward(int l, Activations a, int n, TokenBatch batch) {
        ModelConfig c = config;
        Weights.Layer w = weights.layers[l];
        Tensor x = a.x[l].rows(n), xn1 = a.xn1[l].rows(n);
        Tensor q = a.q[l].rows(n), k = a.k[l].rows(n), v = a.v[l].rows(n);
        if (c.qkNorm()) { // per-head norm then RoPE, one op each for q and k (Backend.rmsNormRope: rmsNorm + rope's bits)
            Tensor qRaw = a.qRaw[l].rows(n), kRaw = a.kRaw[l].rows(n);
            be.linear(qRaw, xn1, w.q(), w.qBias());
            be.linear(kRaw, xn1, w.k(), w.kBias());
            be.rmsNormRope(q, a.rstdQ[l].rows(n), qRaw, w.qNorm(), c.rmsNormEps(), c.numHeads(), c.headDim(), batch.positions(), rope);
            be.rmsNormRope(k, a.rstdK[l].rows(n), kRaw, w.kNorm(), c.rmsNormEps(), c.numKvHeads(), c.headDim(), batch.positions(), rope);
        } else {
            be.linear(q, xn1, w.q(), w.qBias());
            be.linear(k, xn1, w.k(), w.kBias());
            be.rope(q, c.numHeads(), c.headDim(), batch.positions(), rope);
            be.rope(k, c.numKvHeads(), c.headDim(), batch.positions(), rope);
        }
        be.linear(v, xn1, w.v(), w.vBias());
        Tensor att = a.att[l].rows(n);
        be.attention(att, a.lse[l].rows(n), q, k, v, batch.seqStart(), c.numHeads(), c.numKvHeads(), c.headDim(), attnScale);
        Tensor xMid = a.xMid[l].rows(n), tmp = a.tmpD.rows(n), xn2 = a.xn2[l].rows(n);
        be.linear(tmp, att, w.o(), w.oBias());
        be.addRmsNorm(xMid, xn2, a.rstd2[l].rows(n), x, tmp, w.postNorm(), c.rmsNormEps()); // xMid = x + o(att); xn2 = norm(xMid)
        mlpForward(l, a, n, xMid, xn2, a.x[l + 1].rows(n));
    }

    private void mlpForward(int l, Activations a, int n, Tensor xMid, Tensor xn2, Tensor out) {
        Weights.Layer w = weights.layers[l];
        Tensor g = a.gate[l].rows(n), u = a.up[l].rows(n), act = a.act[l].rows(n), tmp = a.tmpD.rows(n);
        be.linear(g, xn2, w.gate(), null);
        be.linear(u, xn2, w.up(), null);
        be.swiglu(act, g, u);
        be.linear(tmp, act, w.down(), null);
        if (l + 1 < config.numLayers()) { // out = xMid + mlp, and the next layer's input norm of it, in one op
            be.addRmsNorm(out, a.xn1[l + 1].rows(n), a.rstd1[l + 1].rows(n), xMid, tmp, weights.layers[l + 1].inputNorm(),
                    config.rmsNormEps());
        } else {
            be.add(out, xMid, tmp);
        }
    }

    /**
     * Forward over a packed batch. targets[i] is the token whose log-prob row i scores (usually the next
     * token; -1 for none). The returned pass is also what {@link #backward} differentiates.
     */
    public Pass forward(TokenBatch batch, int[] targets, boolean wantEntropy, boolean wantRank) {
        return forward(batch, targets, wantEntropy, wantRank, 1f);
    }

    /**
     * Forward whose log-probs and entropies are those of softmax(logits / temperature), the policy a
     * sampler at that temperature draws from. Logits are linear in the final norm weight, so the head
     * runs with that weight scaled by 1/T; backward scales its gradient back.
     */
    public Pass forward(TokenBatch batch, int[] targets, boolean wantEntropy, boolean wantRank, float temperature) {
        return forward(batch, targets, wantEntropy, wantRank, temperature, true, null);
    }

    /**
     * {@link #forward(TokenBatch, int[], boolean, boolean)} with embeddingNoise [N x hidden] added to the input
     * embeddings (NEFTune, see {@link Neftune}); the backward differentiates at the noised input.
     */
    public Pass forward(TokenBatch batch, int[] targets, boolean wantEntropy, boolean wantRank, float[] embeddingNoise) {
        return forward(batch, targets, wantEntropy, wantRank, 1f, true, embeddingNoise);
    }

    /**
     * {@link #forward} for a pass no backward follows (log-probs of rollouts, evaluation, probes): the same
     * results, bit for bit, without what only the backward reads (on a GPU, the LM head's kept logits,
     * 4 N V bytes: 2.5 GB for 4096 tokens of Qwen3). {@link #backward} refuses the pass it returns.
     */
    public Pass forwardNoGrad(TokenBatch batch, int[] targets, boolean wantEntropy, boolean wantRank) {
        return forwardNoGrad(batch, targets, wantEntropy, wantRank, 1f);
    }

    /** {@link #forwardNoGrad} at a sampling temperature (see {@link #forward(TokenBatch, int[], boolean, boolean, float)}). */
    public Pass forwardNoGrad(TokenBatch batch, int[] targets, boolean wantEntropy, boolean wantRank, float temperature) {
        return forward(batch, targets, wantEntropy, wantRank, temperature, false, null);
    }

    private Pass forward(TokenBatch batch, int[] targets, boolean wantEntropy, boolean wantRank, float temperature, boolean forBackward,
                         float[] embeddingNoise) {
        if (targets.length != batch.size()) throw new IllegalArgumentException("one target per token");
        if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0");
        Activations a = runLayers(batch, embeddingNoise);
        int n = batch.size();
        Tensor headNorm = weights.finalNorm;
        if (temperature != 1f) {
            headNorm = be.zeros(config.hiddenSize());
            be.copy(headNorm, weights.finalNorm);
            be.scale(headNorm, 1f / temperature);
        }
        Tensor h = a.x[config.numLayers()].rows(n);
        Backend.HeadResult head = forBackward
                ? be.lmHead(h, headNorm, config.rmsNormEps(), weights.lmHead, targets, wantEntropy, wantRank)
                : be.lmHeadNoGrad(h, headNorm, config.rmsNormEps(), weights.lmHead, targets, wantEntropy, wantRank);
        Pass pass = new Pass(batch, targets, head, a, temperature, headNorm);
        last = forBackward ? pass : null; // either way the activations an earlier pass left are gone
        return pass;
    }

    /**
     * Backward of the most recent forward: grads += d/dθ of sum_i dLogp[i] logp[i] + dEntropy[i] entropy[i].
     * dEntropy may be null.
     */
    public void backward(Pass pass, float[] dLogp, float[] dEntropy, Weights grads) {
        if (pass != last) {
            throw new IllegalStateException("backward must follow its own forward(...) (activations are reused; a forwardNoGrad pass keeps none)");
        }
        ModelConfig c = config;
        Activations a = pass.acts;
        TokenBatch batch = pass.batch;
        int n = batch.size(), L = c.numLayers();
        Tensor dx = a.dx.rows(n);
        be.zero(dx);
        if (pass.temperature == 1f) {
            be.lmHeadBackward(dx, grads.finalNorm, grads.lmHead, dLogp, dEntropy, pass.head, a.x[L].rows(n), weights.finalNorm,
                    weights.lmHead, pass.targets);
        } else { // d/d finalNorm = (1/T) d/d scaledNorm
            Tensor dScaled = be.zeros(c.hiddenSize());
            be.lmHeadBackward(dx, dScaled, grads.lmHead, dLogp, dEntropy, pass.head, a.x[L].rows(n), pass.headNorm, weights.lmHead,
                    pass.targets);
            be.scale(dScaled, 1f / pass.temperature);
            be.add(grads.finalNorm, grads.finalNorm, dScaled);
        }
        for (int l = L - 1; l >= 0; l--) layerBackward(l, a, n, batch, dx, grads.layers[l]);
        be.embeddingBackward(grads.embed, batch.tokens(), dx);
    }

    /**
     * On entry dx = d loss / d x[l+1]; on exit dx = d loss / d x[l]. Each scratch gradient is written
     * (Write.SET) by the first op that produces it and accumulated into by the rest, so none is zeroed
     * first; attention's backward accumulates, so its outputs are.
     */
    private void layerBackward(int l, Activations a, int n, TokenBatch batch, Tensor dx, Weights.Layer g) {
        ModelConfig c = config;
        Weights.Layer w = weights.layers[l];
        // MLP: x[l+1] = xMid + down(swiglu(gate(xn2), up(xn2))), xn2 = norm(xMid)
        Tensor dAct = a.dAct.rows(n), dGate = a.dGate.rows(n), dUp = a.dUp.rows(n), dXn = a.dXn.rows(n);
        be.linearBackward(Write.SET, dAct, g.down(), null, dx, a.act[l].rows(n), w.down());
        be.swigluBackward(Write.SET, dGate, dUp, dAct, a.gate[l].rows(n), a.up[l].rows(n));
        be.linearBackward(Write.SET, dXn, g.gate(), null, dGate, a.xn2[l].rows(n), w.gate());
        be.linearBackward(dXn, g.up(), null, dUp, a.xn2[l].rows(n), w.up());
        be.rmsNormBackward(dx, g.postNorm(), dXn, a.xMid[l].rows(n), w.postNorm(), a.rstd2[l].rows(n));
        // attention: xMid = x[l] + o(attn(rope(norm(q)), rope(norm(k)), v)), all from xn1 = norm(x[l])
        Tensor dAtt = a.dAtt.rows(n), dQ = zeroed(a.dQ, n), dK = zeroed(a.dK, n), dV = zeroed(a.dV, n);
        be.linearBackward(Write.SET, dAtt, g.o(), g.oBias(), dx, a.att[l].rows(n), w.o());
        be.attentionBackward(dQ, dK, dV, dAtt, a.att[l].rows(n), a.lse[l].rows(n), a.q[l].rows(n), a.k[l].rows(n),
                a.v[l].rows(n), batch.seqStart(), c.numHeads(), c.numKvHeads(), c.headDim(), attnScale);
        be.ropeBackward(dQ, c.numHeads(), c.headDim(), batch.positions(), rope);
        be.ropeBackward(dK, c.numKvHeads(), c.headDim(), batch.positions(), rope);
        Tensor dQIn = dQ, dKIn = dK;
        if (c.qkNorm()) {
            dQIn = a.dQRaw.rows(n);
            dKIn = a.dKRaw.rows(n);
            be.rmsNormBackward(Write.SET, dQIn, g.qNorm(), dQ, a.qRaw[l].rows(n), w.qNorm(), a.rstdQ[l].rows(n));
            be.rmsNormBackward(Write.SET, dKIn, g.kNorm(), dK, a.kRaw[l].rows(n), w.kNorm(), a.rstdK[l].rows(n));
        }
        Tensor xn1 = a.xn1[l].rows(n);
        be.linearBackward(Write.SET, dXn, g.q(), g.qBias(), dQIn, xn1, w.q());
        be.linearBackward(dXn, g.k(), g.kBias(), dKIn, xn1, w.k());
        be.linearBackward(dXn, g.v(), g.vBias(), dV, xn1, w.v());
        be.rmsNormBackward(dx, g.inputNorm(), dXn, a.x[l].rows(n), w.inputNorm(), a.rstd1[l].rows(n));
    }

    private Tensor zeroed(Tensor t, int n) {
        Tensor r = t.rows(n);
        be.zero(r);
        return r;
    }

    /** Final-normed hidden state of the last layer, as transformers' last hidden_states entry. */
    public float[] finalNormed(Pass pass) {
        int n = pass.batch.size();
        Tensor out = be.zeros(n, config.hiddenSize()), rstd = be.zeros(n, 1);
        be.rmsNorm(out, rstd, pass.acts.x[config.numLayers()].rows(n), weights.finalNorm, config.rmsNormEps());
        return be.download(out);
    }
}
