package rift.probe;

import java.util.Arrays;
import java.util.List;
import rift.kernels.Backend;
import rift.kernels.RiftException;
import rift.kernels.Tensor;
import rift.model.ModelConfig;
import rift.model.TokenBatch;
import rift.model.Transformer;
import rift.model.Weights;

/**
 * Mean-pooled hidden states of K texts at every layer, the PCA-shift features (paper.md §4.1):
 * {@code features[l][k]} for l = 0..L, where l = 0 is the embedding output, l = 1..L−1 the residual stream
 * after layer l, and l = L the final-normed output (transformers' {@code hidden_states} has exactly these
 * L + 1 entries).
 *
 * <p><b>The paper's batch.</b> Its code tokenises the K texts as ONE batch, left-padded to the longest
 * text (at most 128 tokens), runs {@code model(**inputs)} with the attention mask under flash-attention-2,
 * and averages {@code hidden_states[l]} over all T positions of the row, pads included. Under
 * flash-attention-2 transformers un-pads the batch, attends over the real tokens only and writes ZERO
 * attention output at every pad position; the pad rows still go through the embedding, the residual
 * adds and the MLPs. So a pad's hidden state does not depend on its row or position: it is the pad
 * token's embedding carried through every layer with o_proj applied to a zero attention output (o_proj's
 * bias where the model has one) followed by the layer's MLP. {@link #padStates} computes exactly that with
 * the model's own kernels, and with {@code maskPadding = false} the pooled mean is
 * {@code (sum over real tokens + (T − n_k) · pad state) / T}, as in the paper. With {@code maskPadding = true}
 * the mean runs over the n_k real tokens only (the length-robust variant).
 *
 * <p>The real tokens carry their column index as RoPE position, as a plain transformers forward on a
 * left-padded batch does (RoPE is relative, so this changes nothing but rounding). Texts are run a few
 * rows at a time (a bounded number of padded positions per forward), which changes nothing either:
 * attention stays inside a text.
 */
public final class PooledHiddenStates {
    private PooledHiddenStates() {}

    /**
     * features[l][k][j] for layers l = 0..L, texts k, hidden units j.
     *
     * @param texts          token ids of each text, already truncated (each non-empty)
     * @param padId          the pad token (the base tokenizer's pad, else its EOS); unused with maskPadding
     * @param maxBatchTokens padded positions per forward at most (at least one text per forward)
     */
    public static double[][][] extract(Transformer model, List<int[]> texts, int padId, boolean maskPadding, int maxBatchTokens,
                                       String label) {
        ModelConfig c = model.config;
        int k = texts.size(), h = c.hiddenSize(), layers = c.numLayers() + 1;
        int width = 0;
        for (int i = 0; i < k; i++) {
            if (texts.get(i).length == 0) {
                throw new RiftException(label + ": text " + i + " has no tokens; give every PCA text some content");
            }
            width = Math.max(width, texts.get(i).length);
        }
        float[][] pad;
        if (maskPadding) {
            pad = new float[layers][h]; // fills the pad positions, which pooling then skips
        } else {
            if (padId < 0 || padId >= c.vocabSize()) {
                throw new RiftException(label + ": pad token id " + padId + " is outside the model's vocabulary [0, " + c.vocabSize()
                        + "); give the base tokenizer a pad_token or eos_token the model knows, or pool with --mask-padding");
            }
            pad = padStates(model, padId);
        }
        double[][][] features = new double[layers][k][];
        int perForward = Math.max(1, maxBatchTokens / width);
        for (int from = 0; from < k; from += perForward) {
            int to = Math.min(k, from + perForward), rows = to - from;
            int[][] ids = new int[rows][width], mask = new int[rows][width];
            boolean[][] real = new boolean[rows][width];
            for (int r = 0; r < rows; r++) {
                int[] t = texts.get(from + r);
                int offset = width - t.length; // left padding
                Arrays.fill(ids[r], 0, offset, Math.max(padId, 0)); // dropped by fromPadded: the mask is 0 there
                System.arraycopy(t, 0, ids[r], offset, t.length);
                Arrays.fill(mask[r], offset, width, 1);
                Arrays.fill(real[r], offset, width, true);
            }
            TokenBatch batch = TokenBatch.fromPadded(ids, mask, false);
            int[] noTargets = new int[batch.size()];
            Arrays.fill(noTargets, -1);
            Transformer.Pass pass = model.forwardNoGrad(batch, noTargets, false, false);
            for (int l = 0; l < layers; l++) {
                float[] hidden = l < c.numLayers() ? model.backend().download(pass.hidden(l)) : model.finalNormed(pass);
                float[] padded = new float[rows * width * h];
                int src = 0;
                for (int r = 0; r < rows; r++) {
                    for (int t = 0; t < width; t++) {
                        int dst = (r * width + t) * h;
                        if (real[r][t]) {
                            System.arraycopy(hidden, src, padded, dst, h);
                            src += h;
                        } else {
                            System.arraycopy(pad[l], 0, padded, dst, h);
                        }
                    }
                }
                double[][] pooled = PcaShift.meanPool(padded, rows, width, h, real, maskPadding);
                System.arraycopy(pooled, 0, features[l], from, rows);
            }
        }
        return features;
    }

    /**
     * The hidden state of a pad position at every layer l = 0..L under flash-attention-2 semantics: the
     * pad's embedding, then per layer x += o_proj(0) and x += MLP(post_attention_layernorm(x)), and the
     * final norm for l = L. Computed with the same backend ops the model's forward uses.
     */
    public static float[][] padStates(Transformer model, int padId) {
        ModelConfig c = model.config;
        Backend be = model.backend();
        Weights w = model.weights;
        int d = c.hiddenSize(), f = c.intermediateSize(), layers = c.numLayers();
        float[][] out = new float[layers + 1][];
        Tensor x = be.zeros(1, d), xMid = be.zeros(1, d), tmp = be.zeros(1, d), xn = be.zeros(1, d), rstd = be.zeros(1, 1);
        Tensor zeroAttention = be.zeros(1, c.qDim());
        Tensor gate = be.zeros(1, f), up = be.zeros(1, f), act = be.zeros(1, f);
        be.embedding(x, new int[] {padId}, w.embed);
        out[0] = be.download(x);
        for (int l = 0; l < layers; l++) {
            Weights.Layer lw = w.layers[l];
            be.linear(tmp, zeroAttention, lw.o(), lw.oBias());
            be.add(xMid, x, tmp);
            be.rmsNorm(xn, rstd, xMid, lw.postNorm(), c.rmsNormEps());
            be.linear(gate, xn, lw.gate(), null);
            be.linear(up, xn, lw.up(), null);
            be.swiglu(act, gate, up);
            be.linear(tmp, act, lw.down(), null);
            be.add(x, xMid, tmp);
            if (l < layers - 1) out[l + 1] = be.download(x);
        }
        be.rmsNorm(xn, rstd, x, w.finalNorm, c.rmsNormEps());
        out[layers] = be.download(xn);
        return out;
    }
}
