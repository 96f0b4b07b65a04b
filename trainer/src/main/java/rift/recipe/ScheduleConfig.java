package rift.recipe;

/** How long to train, batch sizes, and the learning-rate schedule. */
@Doc("Length of training, batch sizes and the learning-rate schedule. A step is one optimizer step"
        + " for SFT and one rollout batch for GRPO (which may hold several optimizer steps, see"
        + " grpo.mini_batch and grpo.mu).")
public record ScheduleConfig(
        @Doc(value = "Stop after this many steps. null: run `epochs` epochs. When both are set, the"
                + " first limit reached ends training.", dflt = "null", range = "[1, inf)",
                aka = {"max_steps (TRL)", "total_training_steps (verl)"})
        Integer maxSteps,

        @Doc(value = "Passes over the (filtered) training data; fractions allowed (the paper's SFT runs 1.5).",
                dflt = "1.0", range = "(0, inf)", aka = {"num_train_epochs (TRL)", "total_epochs (verl)"})
        double epochs,

        @Doc(value = "Batch of one step: SFT, sequences per optimizer step; GRPO, prompts per rollout"
                + " batch (each with grpo.num_generations completions).", dflt = "32", range = "[1, inf)",
                aka = {"train_batch_size (verl)", "batch_size (torchtune)"})
        int globalBatch,

        @Doc(value = "Sequences (SFT; packed rows with sft.packing) or completions (GRPO) per forward and"
                + " backward pass; gradients are accumulated up to the step, and the loss normaliser is"
                + " the whole step's, so this changes memory and speed, not the result beyond rounding.",
                dflt = "4", range = "[1, inf)",
                aka = {"per_device_train_batch_size (TRL)", "ppo_micro_batch_size_per_gpu (verl)"})
        int microBatch,

        @Doc(value = "Linear warmup to optim.lr over this many optimizer updates: lr x (u + 1) / warmup_steps"
                + " for update u (the first update is not at lr 0, unlike Hugging Face's u / warmup_steps)."
                + " GRPO counts updates, grpo.mu x global_batch / grpo.mini_batch per step, as TRL counts"
                + " optimizer steps (verl's scheduler steps once per rollout batch).", dflt = "0", range = "[0, inf)",
                aka = {"warmup_steps (TRL)", "lr_warmup_steps (verl)", "num_warmup_steps (torchtune)"})
        int warmupSteps,

        @Doc(value = "Warmup as a fraction of the run's optimizer updates: ceil(warmup_ratio x updates), as Hugging"
                + " Face's warmup_ratio (the updates come from max_steps or epochs, counted as for warmup_steps)."
                + " null: warmup_steps decides. Set one of the two, not both.", dflt = "null", range = "[0, 1)",
                aka = {"warmup_ratio (TRL)", "lr_warmup_steps_ratio (verl)"})
        Double warmupRatio,

        @Doc(value = "Learning rate after warmup.", dflt = "constant",
                aka = {"lr_scheduler_type (TRL)", "lr_scheduler_type (verl)"})
        LrSchedule lrSchedule,

        @Doc(value = "Final learning rate of linear and cosine decay, as a fraction of optim.lr.",
                dflt = "0.0", range = "[0, 1]", aka = {"min_lr_ratio (verl)"})
        double minLrRatio) {

    /** Warmup updates of a run of totalUpdates optimizer updates: warmup_steps, or ceil(warmup_ratio x totalUpdates). */
    public int warmupUpdates(long totalUpdates) {
        return warmupRatio == null ? warmupSteps : (int) Math.ceil(warmupRatio * totalUpdates);
    }

    public enum LrSchedule {
        @Doc("Stay at optim.lr.")
        CONSTANT,
        @Doc("Decay linearly to min_lr_ratio x lr at the last step.")
        LINEAR,
        @Doc("Half-cosine decay to min_lr_ratio x lr at the last step.")
        COSINE
    }
}
