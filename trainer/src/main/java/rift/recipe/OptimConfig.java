package rift.recipe;

import java.util.List;

/** AdamW and gradient clipping. */
@Doc("The optimizer: AdamW (decoupled weight decay) with global gradient-norm clipping.")
public record OptimConfig(
        @Doc(value = "Peak learning rate (after warmup). No default: TRL uses 1e-6 for GRPO and 2e-5"
                + " for SFT; the paper 1e-6 (RL) and 5e-5 (SFT).", required = true, range = "(0, inf)",
                aka = {"learning_rate (TRL)", "optim.lr (verl)"})
        double lr,

        @Doc(value = "AdamW [beta1, beta2].", dflt = "[0.9, 0.999]", range = "[0, 1)",
                aka = {"adam_beta1 (TRL)", "adam_beta2 (TRL)", "optim.betas (verl)"})
        List<Double> betas,

        @Doc(value = "AdamW epsilon.", dflt = "1.0e-8", range = "(0, inf)", aka = {"adam_epsilon (TRL)"})
        double eps,

        @Doc(value = "Decoupled weight decay (applied to weight matrices, not to norms).", dflt = "0.0",
                range = "[0, inf)", aka = {"weight_decay (TRL, verl)"})
        double weightDecay,

        @Doc(value = "Clip the global gradient norm to this value; 0.0: no clipping.", dflt = "1.0",
                range = "[0, inf)", aka = {"max_grad_norm (TRL)", "grad_clip (verl)", "clip_grad_norm (torchtune)"})
        double gradClip,

        @Doc(value = "What a non-finite loss or gradient norm does.", dflt = "abort")
        NanPolicy nanPolicy) {

    public OptimConfig {
        betas = List.copyOf(betas);
    }

    public enum NanPolicy {
        @Doc("Skip the optimizer step, count it in the log, go on (verl does this).")
        SKIP,
        @Doc("Stop with an error naming the step.")
        ABORT
    }
}
