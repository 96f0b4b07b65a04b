package rift.recipe;

/** The shape of a model built from scratch; names follow the Hugging Face config.json keys. */
@Doc("Architecture of a model built from scratch (`model.config`). Keys are the Hugging Face"
        + " config.json names, so a config.json can be copied in.")
public record ArchConfig(
        @Doc(value = "Model family: decides the block layout.", dflt = "qwen3", aka = {"model_type (HF)"})
        Arch arch,

        @Doc(value = "Vocabulary size; at least the tokenizer's vocabulary.", required = true, range = "[1, inf)")
        int vocabSize,

        @Doc(value = "Width of the residual stream.", required = true, range = "[1, inf)")
        int hiddenSize,

        @Doc(value = "Number of transformer blocks.", required = true, range = "[1, inf)")
        int numHiddenLayers,

        @Doc(value = "Query heads per block.", required = true, range = "[1, inf)")
        int numAttentionHeads,

        @Doc(value = "Key/value heads (grouped-query attention); must divide num_attention_heads."
                + " null: num_attention_heads (plain multi-head attention).", dflt = "null", range = "[1, inf)")
        Integer numKeyValueHeads,

        @Doc(value = "Width of one attention head. null: hidden_size / num_attention_heads.",
                dflt = "null", range = "[1, inf)")
        Integer headDim,

        @Doc(value = "Hidden width of the SwiGLU MLP.", required = true, range = "[1, inf)")
        int intermediateSize,

        @Doc(value = "RoPE base frequency (Qwen2.5/Qwen3 checkpoints use 1e6, Llama 2 uses 1e4).",
                dflt = "1000000.0", range = "(0, inf)")
        double ropeTheta,

        @Doc(value = "Epsilon of every RMSNorm.", dflt = "1.0e-6", range = "(0, 1)")
        double rmsNormEps,

        @Doc(value = "Share the input embedding matrix with the LM head.", dflt = "false")
        boolean tieWordEmbeddings,

        @Doc(value = "Longest sequence the model supports (sizes the RoPE tables); data.max_seq_len"
                + " must not exceed it.", dflt = "32768", range = "[1, inf)")
        int maxPositionEmbeddings,

        @Doc(value = "Standard deviation of the normal initialisation of weight matrices.",
                dflt = "0.02", range = "(0, inf)", aka = {"initializer_range (HF)"})
        double initStd) {

    public ArchConfig {
        if (numKeyValueHeads == null) numKeyValueHeads = numAttentionHeads;
        if (headDim == null && numAttentionHeads > 0 && hiddenSize % numAttentionHeads == 0) headDim = hiddenSize / numAttentionHeads;
    }

    public enum Arch {
        @Doc("Qwen3: RMSNorm on queries and keys (q_norm, k_norm), no attention biases.")
        QWEN3,
        @Doc("Qwen2 / Qwen2.5: biases on the q, k, v projections.")
        QWEN2,
        @Doc("Llama: no biases, no q/k norm.")
        LLAMA
    }
}
