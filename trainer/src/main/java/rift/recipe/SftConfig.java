package rift.recipe;

/** Supervised fine-tuning on (prompt, solution) pairs; used when {@code method: sft}. */
@Doc("Supervised fine-tuning settings, used when `method: sft`. The loss is the cross-entropy of the"
        + " target tokens, averaged over all target tokens of the optimizer step (a global token mean,"
        + " independent of how the step is split into micro-batches).")
public record SftConfig(
        @Doc(value = "Pack several examples into each row of data.max_seq_len tokens (best-fit"
                + " decreasing); attention never crosses example boundaries.", dflt = "false",
                aka = {"packing (TRL)", "packed (torchtune)"})
        boolean packing,

        @Doc(value = "Train only on the completion (solution) tokens; false also trains on the prompt.",
                dflt = "true", aka = {"completion_only_loss (TRL)", "train_on_input (torchtune, inverted)"})
        boolean completionOnly,

        @Doc(value = "Token budget of one micro-batch: examples are grouped until the next one would"
                + " exceed it. null: micro-batches of schedule.micro_batch sequences (or packed rows).",
                dflt = "null", range = "[1, inf)",
                aka = {"ppo_max_token_len_per_gpu (verl)", "use_dynamic_bsz (verl)"})
        Integer microBatchTokens,

        @Doc(value = "The per-token loss.", dflt = "nll", aka = {"loss_type (TRL)"})
        LossType lossType,

        @Doc(value = "NEFTune: uniform noise in [-m, m], m = alpha / sqrt(L x hidden_size), on the input embeddings of"
                + " each training sequence of L tokens (Hugging Face takes L as the padded batch length; rift does not pad)."
                + " Drawn per step and sequence from the seed, so resume and micro_batch keep the same noise. 0.0: off;"
                + " the paper uses 5 to 15.", dflt = "0.0", range = "[0, inf)", aka = {"neftune_noise_alpha (TRL)"})
        double neftuneNoiseAlpha) {

    public enum LossType {
        @Doc(value = "-log p of each target token (cross-entropy).", aka = {"nll (TRL)"})
        NLL,
        @Doc(value = "-sg(p) log p: each token's cross-entropy weighted by its probability, held constant (Dynamic"
                + " Fine-Tuning, Wu et al. 2025; TRL's dft). The logged loss is this objective; nll is logged beside it.",
                aka = {"dft (TRL)"})
        DFT
    }
}
