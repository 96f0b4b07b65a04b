package rift.model;

import java.util.LinkedHashMap;
import java.util.Map;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.util.Rng;

/**
 * Every parameter tensor of a model, under its Hugging Face name. The same structure holds gradients
 * and the AdamW moments (one {@code Weights} each), so optimizer code walks four parallel maps.
 * With tied embeddings {@code lmHead} is the embedding tensor itself and is not listed separately.
 */
public final class Weights {
    /** One decoder layer; bias and q/k-norm tensors are null when the architecture has none. */
    public record Layer(Tensor inputNorm, Tensor q, Tensor k, Tensor v, Tensor o, Tensor qBias, Tensor kBias, Tensor vBias,
                        Tensor oBias, Tensor qNorm, Tensor kNorm, Tensor postNorm, Tensor gate, Tensor up, Tensor down) {}

    public final ModelConfig config;
    public final Tensor embed, finalNorm, lmHead;
    public final Layer[] layers;
    private final LinkedHashMap<String, Tensor> named = new LinkedHashMap<>();

    /** How the constructor allocates: the backend's storage type, or fp32 (master weights, moments, gradients). */
    @FunctionalInterface
    private interface Alloc {
        Tensor zeros(int... shape);
    }

    private Weights(ModelConfig c, Backend be) {
        this(c, be::zeros);
    }

    private Weights(ModelConfig c, Alloc be) {
        this.config = c;
        int d = c.hiddenSize(), f = c.intermediateSize();
        embed = add("model.embed_tokens.weight", be.zeros(c.vocabSize(), d));
        layers = new Layer[c.numLayers()];
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            Tensor in = add(p + "input_layernorm.weight", be.zeros(d));
            Tensor q = add(p + "self_attn.q_proj.weight", be.zeros(c.qDim(), d));
            Tensor qb = c.qkvBias() ? add(p + "self_attn.q_proj.bias", be.zeros(c.qDim())) : null;
            Tensor k = add(p + "self_attn.k_proj.weight", be.zeros(c.kvDim(), d));
            Tensor kb = c.qkvBias() ? add(p + "self_attn.k_proj.bias", be.zeros(c.kvDim())) : null;
            Tensor v = add(p + "self_attn.v_proj.weight", be.zeros(c.kvDim(), d));
            Tensor vb = c.qkvBias() ? add(p + "self_attn.v_proj.bias", be.zeros(c.kvDim())) : null;
            Tensor o = add(p + "self_attn.o_proj.weight", be.zeros(d, c.qDim()));
            Tensor ob = c.oBias() ? add(p + "self_attn.o_proj.bias", be.zeros(d)) : null;
            Tensor qn = c.qkNorm() ? add(p + "self_attn.q_norm.weight", be.zeros(c.headDim())) : null;
            Tensor kn = c.qkNorm() ? add(p + "self_attn.k_norm.weight", be.zeros(c.headDim())) : null;
            Tensor post = add(p + "post_attention_layernorm.weight", be.zeros(d));
            Tensor g = add(p + "mlp.gate_proj.weight", be.zeros(f, d));
            Tensor u = add(p + "mlp.up_proj.weight", be.zeros(f, d));
            Tensor dn = add(p + "mlp.down_proj.weight", be.zeros(d, f));
            layers[i] = new Layer(in, q, k, v, o, qb, kb, vb, ob, qn, kn, post, g, u, dn);
        }
        finalNorm = add("model.norm.weight", be.zeros(d));
        lmHead = c.tieWordEmbeddings() ? embed : add("lm_head.weight", be.zeros(c.vocabSize(), d));
    }

    private Tensor add(String name, Tensor t) {
        named.put(name, t);
        return t;
    }

    /** All-zero tensors of the model's shapes, in the backend's storage type. */
    public static Weights zeros(ModelConfig c, Backend be) {
        return new Weights(c, be);
    }

    /** All-zero fp32 tensors of the model's shapes: gradients, AdamW moments and master weights. */
    public static Weights zerosF32(ModelConfig c, Backend be) {
        return new Weights(c, (Alloc) be::zerosF32);
    }

    /**
     * Random initialisation as transformers does it: normal(0, initializer_range) for projections and
     * embeddings, ones for norm weights, zeros for biases. Tensors are filled in name order from one
     * seeded stream, so the same seed gives the same model.
     */
    public static Weights random(ModelConfig c, Backend be, long seed) {
        return fillRandom(new Weights(c, be), be, seed);
    }

    /** {@link #random}'s values written into w (fp32 master weights get them unrounded). Returns w. */
    public static Weights fillRandom(Weights w, Backend be, long seed) {
        ModelConfig c = w.config;
        Rng rng = new Rng(seed);
        for (var e : w.named.entrySet()) {
            String n = e.getKey();
            Tensor t = e.getValue();
            float[] vals = new float[(int) t.numel()];
            if (n.endsWith("norm.weight") || n.endsWith("layernorm.weight")) java.util.Arrays.fill(vals, 1f);
            else if (!n.endsWith(".bias")) for (int i = 0; i < vals.length; i++) vals[i] = (float) (rng.nextGaussian() * c.initializerRange());
            be.upload(t, vals);
        }
        return w;
    }

    /** Parameters by Hugging Face name, in a fixed order (lm_head absent when tied). */
    public Map<String, Tensor> named() {
        return java.util.Collections.unmodifiableMap(named);
    }

    /** Whether AdamW decays this parameter: 2-D weights only (embeddings and projections), as llm.c and nanoGPT do. */
    public static boolean decays(Tensor t) {
        return t.rank() >= 2;
    }

    public void zero(Backend be) {
        be.zero(java.util.List.copyOf(named.values()));
    }
}
