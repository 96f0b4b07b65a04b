package rift.grpo;

import java.util.List;

/**
 * A completion's reward r = sum_k w_k r_k over the configured functions (TRL's "sum_then_normalize",
 * trainers.md §2.1): the sum, not the components, goes into {@link Advantages}. Components are kept for
 * per-function metrics (TRL rewards/{name}/mean).
 */
public final class WeightedRewards {
    private final List<String> names;
    private final List<RewardFunction> functions;
    private final double[] weights;

    WeightedRewards(List<String> names, List<RewardFunction> functions, double[] weights) {
        this.names = List.copyOf(names);
        this.functions = List.copyOf(functions);
        this.weights = weights.clone();
    }

    public List<String> names() {
        return names;
    }

    /** Unweighted value of each function, in config order. */
    public double[] components(Completion c) {
        double[] out = new double[functions.size()];
        for (int k = 0; k < out.length; k++) out[k] = functions.get(k).score(c);
        return out;
    }

    /** sum_k w_k r_k, summed in config order. */
    public double score(Completion c) {
        double[] parts = components(c);
        double s = 0;
        for (int k = 0; k < parts.length; k++) s += weights[k] * parts[k];
        return s;
    }

    /** Scores of a group (or any list), in order. */
    public double[] scores(List<Completion> completions) {
        double[] out = new double[completions.size()];
        for (int i = 0; i < out.length; i++) out[i] = score(completions.get(i));
        return out;
    }
}
