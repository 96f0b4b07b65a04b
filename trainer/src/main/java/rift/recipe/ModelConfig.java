package rift.recipe;

/** The model to train: a Hugging Face checkpoint directory, or a new model built from {@code config}. */
@Doc("The model to train and its tokenizer. Set exactly one of `path` (start from a checkpoint) and"
        + " `config` (build a new, randomly initialised model).")
public record ModelConfig(
        @Doc(value = "Hugging Face model directory to start from (config.json, model.safetensors or its"
                + " index, tokenizer files), relative to the working directory. null: build from `config`.",
                dflt = "null", aka = {"model_name_or_path (TRL)", "actor_rollout_ref.model.path (verl)"})
        String path,

        @Doc(value = "Architecture of a new model trained from scratch (see model.config below)."
                + " null: load `path`.", dflt = "null")
        ArchConfig config,

        @Doc(value = "Tokenizer directory (tokenizer.json, tokenizer_config.json). null: the model"
                + " directory `path`; required with `config`.", dflt = "null",
                aka = {"tokenizer_name_or_path (TRL)", "actor_rollout_ref.model.tokenizer_path (verl)"})
        String tokenizer,

        @Doc(value = "Precision of weights and activations during training.", dflt = "fp32",
                aka = {"bf16 (TRL)", "dtype (torchtune)"})
        Dtype dtype) {

    public ModelConfig {
        if (tokenizer == null) tokenizer = path;
    }

    public enum Dtype {
        @Doc("float32 everywhere: the exact reference.")
        FP32,
        @Doc("bfloat16 weights and activations; float32 master weights and optimizer moments.")
        BF16
    }
}
