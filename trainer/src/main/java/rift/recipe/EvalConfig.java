package rift.recipe;

/** Evaluation during and after training. */
@Doc("Evaluation during training (results go to run_dir).")
public record EvalConfig(
        @Doc(value = "Name of the evaluation suite to run (see `rift eval --help`). null: no evaluation.",
                dflt = "null")
        String suite,

        @Doc(value = "Evaluate every this many steps (and after the last). null: only after the last"
                + " step. Needs `suite`.", dflt = "null", range = "[1, inf)",
                aka = {"eval_steps (TRL)", "test_freq (verl)"})
        Integer every,

        @Doc(value = "Longest generated answer during evaluation, in tokens.", dflt = "512", range = "[1, inf)")
        int maxNewTokens) {}
