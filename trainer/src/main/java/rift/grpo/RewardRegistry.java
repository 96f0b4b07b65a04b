package rift.grpo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.kernels.RiftException;

/**
 * Reward functions by the name a recipe writes. {@link #withBuiltins()} knows correctness, format and
 * overlong; {@link #register} adds others (their settings arrive as {@link RewardSpec.Custom}). An instance,
 * not a global, so tests and runs never see each other's registrations.
 */
public final class RewardRegistry {
    /** Builds a function from its spec; maxNewTokens is grpo.max_new_tokens (L_max of overlong). */
    @FunctionalInterface
    public interface Factory {
        RewardFunction create(RewardSpec spec, int maxNewTokens);
    }

    private final Map<String, Factory> factories = new LinkedHashMap<>();

    private RewardRegistry() {}

    public static RewardRegistry withBuiltins() {
        RewardRegistry r = new RewardRegistry();
        r.register("correctness", (spec, L) -> {
            var s = as(spec, RewardSpec.Correctness.class);
            return Rewards.correctness(s.correct(), s.incorrect());
        });
        r.register("format", (spec, L) -> {
            var s = as(spec, RewardSpec.Format.class);
            return Rewards.format(s.formatted(), s.unformatted());
        });
        r.register("overlong", (spec, L) -> {
            var s = as(spec, RewardSpec.Overlong.class);
            return Rewards.overlong(L, s.bufferLen(), s.penaltyFactor());
        });
        return r;
    }

    private static <T extends RewardSpec> T as(RewardSpec spec, Class<T> type) {
        if (!type.isInstance(spec)) throw new IllegalArgumentException("reward '" + spec.name() + "' needs a "
                + type.getSimpleName() + " spec, got " + spec.getClass().getSimpleName());
        return type.cast(spec);
    }

    /** Adds (or replaces) the function behind {@code name}. */
    public RewardRegistry register(String name, Factory factory) {
        factories.put(name, factory);
        return this;
    }

    public List<String> names() {
        return List.copyOf(factories.keySet());
    }

    /** The weighted sum of the config's rewards; a RiftException names an unknown reward. */
    public WeightedRewards build(GrpoLossConfig config) {
        return build(config.rewards(), config.maxNewTokens());
    }

    public WeightedRewards build(List<RewardSpec> specs, int maxNewTokens) {
        List<String> names = new ArrayList<>();
        List<RewardFunction> fns = new ArrayList<>();
        double[] weights = new double[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            RewardSpec spec = specs.get(i);
            Factory f = factories.get(spec.name());
            if (f == null) throw new RiftException("grpo.rewards[" + i + "].name: '" + spec.name()
                    + "' is not a known reward; known: " + String.join(", ", factories.keySet()));
            names.add(spec.name());
            fns.add(f.create(spec, maxNewTokens));
            weights[i] = spec.weight();
        }
        return new WeightedRewards(names, fns, weights);
    }
}
