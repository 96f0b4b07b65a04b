package rift.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import rift.kernels.RiftException;
import rift.kernels.cpu.Rope;

/**
 * The architecture of a Qwen3 / Qwen2 / Llama 3 decoder, read from and written to Hugging Face
 * {@code config.json}. The three differ only in a few switches: Qwen3 normalises q and k per head
 * (q_norm, k_norm) and has an explicit head_dim; Qwen2 has biases on q, k, v (not o); Llama 3 may scale
 * RoPE frequencies ("llama3" rope type) and has attention_bias on all four projections when set.
 *
 * @param arch            which family, from {@code model_type}
 * @param qkvBias         q/k/v projections carry a bias
 * @param oBias           o_proj carries a bias
 * @param ropeScaling     Llama 3 frequency scaling, or null
 * @param eosTokenIds     every id that ends generation (HF allows a list)
 */
public record ModelConfig(Arch arch, int vocabSize, int hiddenSize, int numLayers, int numHeads, int numKvHeads,
                          int headDim, int intermediateSize, double ropeTheta, float rmsNormEps,
                          boolean tieWordEmbeddings, int maxPositionEmbeddings, Rope.Llama3Scaling ropeScaling,
                          boolean qkvBias, boolean oBias, int bosTokenId, int[] eosTokenIds, int padTokenId,
                          double initializerRange) {

    public enum Arch {
        QWEN3("qwen3", "Qwen3ForCausalLM"), QWEN2("qwen2", "Qwen2ForCausalLM"), LLAMA("llama", "LlamaForCausalLM");

        public final String modelType, hfClass;

        Arch(String modelType, String hfClass) {
            this.modelType = modelType;
            this.hfClass = hfClass;
        }

        public static Arch of(String modelType, String where) {
            for (Arch a : values()) if (a.modelType.equals(modelType)) return a;
            throw new RiftException(where + ": model_type '" + modelType + "' is not supported; rift runs qwen3, qwen2 and llama");
        }
    }

    public ModelConfig {
        // sizes first (by their config.json names), so the ratios below never divide by zero
        String[] names = {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "head_dim",
                "intermediate_size", "max_position_embeddings"};
        int[] sizes = {vocabSize, hiddenSize, numLayers, numHeads, numKvHeads, headDim, intermediateSize, maxPositionEmbeddings};
        for (int i = 0; i < sizes.length; i++)
            if (sizes[i] <= 0) throw new RiftException(names[i] + " must be at least 1, got " + sizes[i]);
        if (numHeads % numKvHeads != 0)
            throw new RiftException("num_attention_heads (" + numHeads + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        if (headDim % 2 != 0) throw new RiftException("head_dim must be even for RoPE, got " + headDim);
    }

    /** Qwen3 normalises queries and keys per head before RoPE. */
    public boolean qkNorm() {
        return arch == Arch.QWEN3;
    }

    public int qDim() {
        return numHeads * headDim;
    }

    public int kvDim() {
        return numKvHeads * headDim;
    }

    public boolean isEos(int id) {
        for (int e : eosTokenIds) if (e == id) return true;
        return false;
    }

    /** A from-scratch config with the usual defaults of each family (tests, benchmarks, the testbed). */
    public static ModelConfig of(Arch arch, int vocab, int hidden, int layers, int heads, int kvHeads, int headDim, int ffn,
                                 int maxPositions, boolean tied) {
        return new ModelConfig(arch, vocab, hidden, layers, heads, kvHeads, headDim, ffn, arch == Arch.LLAMA ? 500000.0 : 1000000.0,
                1e-6f, tied, maxPositions, null, arch == Arch.QWEN2, false, 1, new int[] {2}, 0, 0.02);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code config.json} from a model directory. */
    public static ModelConfig load(Path dir) {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) throw new RiftException(dir + ": no config.json; a model directory in the Hugging Face layout has one");
        JsonNode c;
        try {
            c = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new RiftException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        return fromJson(c, file.toString());
    }

    public static ModelConfig fromJson(JsonNode c, String where) {
        Arch arch = Arch.of(text(c, "model_type", where), where);
        int hidden = integer(c, "hidden_size", where);
        int heads = integer(c, "num_attention_heads", where);
        int kv = c.has("num_key_value_heads") && !c.get("num_key_value_heads").isNull() ? integer(c, "num_key_value_heads", where) : heads;
        if (heads <= 0) throw new RiftException(where + ": num_attention_heads must be at least 1, got " + heads + FIX_CONFIG);
        int headDim = c.has("head_dim") && !c.get("head_dim").isNull() ? integer(c, "head_dim", where) : hidden / heads;
        if (!c.path("hidden_act").asText("silu").equals("silu"))
            throw new RiftException(where + ": hidden_act '" + c.get("hidden_act").asText() + "' is not supported (rift implements silu / SwiGLU)");
        if (c.path("mlp_bias").asBoolean(false)) throw new RiftException(where + ": mlp_bias true is not supported");
        if (c.path("use_sliding_window").asBoolean(false))
            throw new RiftException(where + ": use_sliding_window true is not supported (rift attends over the full causal context)");
        // RoPE: transformers >= 5 writes rope_parameters {rope_type, rope_theta, ...}; older files rope_theta + rope_scaling.
        JsonNode rp = c.has("rope_parameters") && c.get("rope_parameters").isObject() ? c.get("rope_parameters") : c.path("rope_scaling");
        double theta = rp.has("rope_theta") ? rp.get("rope_theta").asDouble() : c.path("rope_theta").asDouble(10000.0);
        Rope.Llama3Scaling scaling = null;
        String ropeType = rp.isObject() ? rp.path("rope_type").asText(rp.path("type").asText("default")) : "default";
        switch (ropeType) {
            case "default", "" -> { }
            case "llama3" -> scaling = new Rope.Llama3Scaling(rp.path("factor").asDouble(), rp.path("low_freq_factor").asDouble(),
                    rp.path("high_freq_factor").asDouble(), rp.path("original_max_position_embeddings").asInt());
            default -> throw new RiftException(where + ": rope type '" + ropeType + "' is not supported (default and llama3 are)");
        }
        boolean attnBias = c.path("attention_bias").asBoolean(false);
        boolean qkvBias = arch == Arch.QWEN2 || attnBias;
        boolean oBias = arch != Arch.QWEN2 && attnBias;
        JsonNode eos = c.path("eos_token_id");
        int[] eosIds = eos.isArray() ? java.util.stream.StreamSupport.stream(eos.spliterator(), false).mapToInt(JsonNode::asInt).toArray()
                : eos.isNumber() ? new int[] {eos.asInt()} : new int[0];
        try {
            return new ModelConfig(arch, integer(c, "vocab_size", where), hidden, integer(c, "num_hidden_layers", where), heads, kv,
                    headDim, integer(c, "intermediate_size", where), theta, (float) c.path("rms_norm_eps").asDouble(1e-6),
                    c.path("tie_word_embeddings").asBoolean(false), c.path("max_position_embeddings").asInt(4096), scaling, qkvBias, oBias,
                    c.path("bos_token_id").asInt(-1), eosIds, c.path("pad_token_id").asInt(-1), c.path("initializer_range").asDouble(0.02));
        } catch (RiftException e) {
            if (e.getMessage().startsWith(where)) throw e;
            throw new RiftException(where + ": " + e.getMessage() + FIX_CONFIG, e);
        }
    }

    /** The fix for a config.json whose sizes do not describe a model. */
    private static final String FIX_CONFIG = "; the config.json does not describe a valid model: use the one saved with the weights";

    private static String text(JsonNode c, String key, String where) {
        JsonNode n = c.get(key);
        if (n == null || !n.isTextual()) throw new RiftException(where + ": missing or non-string '" + key + "'" + FIX_CONFIG);
        return n.asText();
    }

    private static int integer(JsonNode c, String key, String where) {
        JsonNode n = c.get(key);
        if (n == null || !n.canConvertToInt()) throw new RiftException(where + ": missing or non-integer '" + key + "'" + FIX_CONFIG);
        return n.asInt();
    }

    /** The Hugging Face config.json for this architecture (legacy rope keys, which every transformers version reads). */
    public ObjectNode toJson() {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add(arch.hfClass);
        c.put("model_type", arch.modelType);
        c.put("vocab_size", vocabSize);
        c.put("hidden_size", hiddenSize);
        c.put("intermediate_size", intermediateSize);
        c.put("num_hidden_layers", numLayers);
        c.put("num_attention_heads", numHeads);
        c.put("num_key_value_heads", numKvHeads);
        c.put("head_dim", headDim);
        c.put("hidden_act", "silu");
        c.put("max_position_embeddings", maxPositionEmbeddings);
        c.put("rms_norm_eps", rmsNormEps);
        c.put("rope_theta", ropeTheta);
        if (ropeScaling != null) {
            ObjectNode s = c.putObject("rope_scaling");
            s.put("rope_type", "llama3");
            s.put("factor", ropeScaling.factor());
            s.put("low_freq_factor", ropeScaling.lowFreqFactor());
            s.put("high_freq_factor", ropeScaling.highFreqFactor());
            s.put("original_max_position_embeddings", ropeScaling.originalMaxPositions());
        } else {
            c.putNull("rope_scaling");
        }
        if (arch != Arch.QWEN2) c.put("attention_bias", qkvBias);
        if (arch == Arch.LLAMA) c.put("mlp_bias", false);
        if (arch != Arch.LLAMA) c.put("use_sliding_window", false);
        c.put("tie_word_embeddings", tieWordEmbeddings);
        c.put("initializer_range", initializerRange);
        if (bosTokenId >= 0) c.put("bos_token_id", bosTokenId);
        if (eosTokenIds.length == 1) c.put("eos_token_id", eosTokenIds[0]);
        else if (eosTokenIds.length > 1) { var a = c.putArray("eos_token_id"); for (int e : eosTokenIds) a.add(e); }
        if (padTokenId >= 0) c.put("pad_token_id", padTokenId);
        c.put("torch_dtype", "float32");
        c.put("use_cache", true);
        return c;
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), toJson());
    }

    /** Parameters in the model (embeddings counted once when tied). */
    public long parameterCount() {
        long d = hiddenSize, perLayer = d * qDim() + 2L * d * kvDim() + (long) qDim() * d + 3L * d * intermediateSize + 2 * d;
        if (qkvBias) perLayer += qDim() + 2L * kvDim();
        if (oBias) perLayer += d;
        if (qkNorm()) perLayer += 2L * headDim;
        return (long) vocabSize * d * (tieWordEmbeddings ? 1 : 2) + numLayers * perLayer + d;
    }
}
