package rift.grpo;

import java.util.Map;
import rift.kernels.RiftException;

/**
 * One entry of {@code grpo.rewards}: which reward function, its weight in the sum, and its settings. The
 * three built-ins mirror the recipe's reward records; {@link Custom} carries the raw settings of a
 * function registered under another name in a {@link RewardRegistry}.
 */
public sealed interface RewardSpec {
    /** The name a recipe writes after {@code name:}. */
    String name();

    /** Multiplier of this reward in the completion's summed reward. */
    double weight();

    /** The verifier's verdict: {@code correct} when it accepted the answer, else {@code incorrect}. */
    record Correctness(double weight, double correct, double incorrect) implements RewardSpec {
        @Override public String name() { return "correctness"; }

        /** 1 / 0 (the paper, TRL accuracy_reward). */
        public static Correctness binary(double weight) { return new Correctness(weight, 1.0, 0.0); }

        /** +1 / -1 (DAPO, verl math_dapo). */
        public static Correctness signed(double weight) { return new Correctness(weight, 1.0, -1.0); }

        /** The preset a recipe names with {@code values: binary | signed}. */
        public static Correctness of(double weight, String values) {
            return switch (values) {
                case "binary" -> binary(weight);
                case "signed" -> signed(weight);
                default -> throw new RiftException("grpo.rewards[correctness].values: '" + values
                        + "' is not allowed; allowed values: binary (1/0), signed (+1/-1)");
            };
        }
    }

    /**
     * Format: {@code formatted} when the completion holds exactly one {@code \boxed{...}}, else
     * {@code unformatted}; paid only on a correct completion (0 on a wrong one), as open-instruct does
     * since an additive format reward pushed up long wrong answers (trainers.md §1, open-instruct notes).
     */
    record Format(double weight, double formatted, double unformatted) implements RewardSpec {
        @Override public String name() { return "format"; }

        public static Format of(double weight) { return new Format(weight, 1.0, 0.0); }
    }

    /** DAPO soft overlong punishment with L_max = grpo.max_new_tokens (see {@link Rewards#overlong}). */
    record Overlong(double weight, int bufferLen, double penaltyFactor) implements RewardSpec {
        @Override public String name() { return "overlong"; }
    }

    /** A function registered in a {@link RewardRegistry} under {@code name}, with its raw settings. */
    record Custom(String name, double weight, Map<String, Object> settings) implements RewardSpec {
        public Custom {
            settings = Map.copyOf(settings);
        }
    }
}
