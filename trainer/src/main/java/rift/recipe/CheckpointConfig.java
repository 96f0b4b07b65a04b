package rift.recipe;

/** When to save checkpoints in the run directory and which to keep. */
@Doc("Checkpoints in run_dir. The last step is always saved, so a finished run can be exported and"
        + " an interrupted one resumed.")
public record CheckpointConfig(
        @Doc(value = "Save every this many steps. null: only at the end.", dflt = "null", range = "[1, inf)",
                aka = {"save_steps (TRL)", "save_freq (verl)"})
        Integer every,

        @Doc(value = "Keep only the newest this many checkpoints. null: keep all.", dflt = "null",
                range = "[1, inf)", aka = {"save_total_limit (TRL)", "max_actor_ckpt_to_keep (verl)"})
        Integer keepLast,

        @Doc(value = "Also keep, for good, every checkpoint whose step is a multiple of this (a multiple"
                + " of `every`). null: none.", dflt = "null", range = "[1, inf)")
        Integer keepEvery,

        @Doc(value = "Save the optimizer moments and RNG state too (needed to resume exactly); false:"
                + " weights only.", dflt = "true", aka = {"save_only_model (TRL, inverted)"})
        boolean saveOptimizer) {}
