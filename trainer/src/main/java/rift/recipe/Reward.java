package rift.recipe;

/**
 * One reward function of GRPO with its weight; the reward of a completion is the weighted sum of
 * all listed functions. Written in a recipe as a list element {@code - name: correctness}.
 */
@Doc("A reward function in `grpo.rewards`, chosen by `name:`. A completion's reward is the sum of"
        + " weight x value over the list.")
public sealed interface Reward {
    double weight();

    @Doc("`name: correctness`: the verifier's verdict on the final answer (grpo.verifier_mode).")
    record Correctness(
            @Doc(value = "Multiplier of this reward in the sum.", dflt = "1.0")
            double weight,

            @Doc(value = "Value when the final answer is correct.", dflt = "1.0")
            double correct,

            @Doc(value = "Value when it is wrong or missing (DAPO uses -1.0).", dflt = "0.0")
            double incorrect) implements Reward {}

    @Doc("`name: format`: paid only together with correctness -- a correct completion with exactly one"
            + " well-formed \\boxed{} gets `formatted`, everything else `unformatted` -- because"
            + " open-instruct found that an additive format reward favours long wrong answers. Needs a"
            + " `correctness` reward in the same list.")
    record Format(
            @Doc(value = "Multiplier of this reward in the sum.", dflt = "1.0")
            double weight,

            @Doc(value = "Value when a final answer is found.", dflt = "1.0")
            double formatted,

            @Doc(value = "Value when none is found.", dflt = "0.0")
            double unformatted) implements Reward {}

    @Doc("`name: overlong`: DAPO's soft overlong punishment. With L = grpo.max_new_tokens and"
            + " n completion tokens: 0 when n <= L - buffer_len, (L - buffer_len - n) / buffer_len x"
            + " penalty_factor inside the buffer, -penalty_factor for a completion cut at L.")
    record Overlong(
            @Doc(value = "Multiplier of this reward in the sum.", dflt = "1.0")
            double weight,

            @Doc(value = "Length of the penalty ramp in tokens; less than grpo.max_new_tokens.",
                    required = true, range = "[1, inf)", aka = {"overlong_buffer.len (verl)"})
            int bufferLen,

            @Doc(value = "Penalty at the end of the ramp.", dflt = "1.0", range = "[0, inf)",
                    aka = {"overlong_buffer.penalty_factor (verl)"})
            double penaltyFactor) implements Reward {}
}
