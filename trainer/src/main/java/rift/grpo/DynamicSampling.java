package rift.grpo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * DAPO dynamic sampling (trainers.md §2.3 line 262; verl algorithm.filter_groups, OpenRLHF dynamic_filtering):
 * groups whose rewards are all equal have zero advantage everywhere and only dilute the batch, so they are
 * dropped and more prompts are sampled until the step has its target number of groups. Generation rounds are
 * bounded by grpo.max_sampling_tries; when they run out, the step trains on the groups it has ({@link
 * Result#full()} false) rather than failing as verl does. Groups are taken in sampling order and the surplus of
 * the last round is dropped (verl: batch[:traj_bsz]), so the result is deterministic given the source.
 */
public final class DynamicSampling {
    private DynamicSampling() {}

    /** One generation round: the next prompts' groups, already scored; an empty list means the data ran out. */
    @FunctionalInterface
    public interface GroupSource<G> {
        List<G> sample(int round);
    }

    /**
     * @param kept          groups to train on, at most the target, in sampling order
     * @param rounds        generation rounds used
     * @param sampledGroups all groups sampled (kept, dropped and surplus)
     * @param zeroStdGroups sampled groups with zero reward std
     * @param full          kept has the target number of groups
     */
    public record Result<G>(List<G> kept, int rounds, int sampledGroups, int zeroStdGroups, boolean full) {
        /** Zero-std groups / sampled groups (TRL frac_reward_zero_std over everything sampled this step). */
        public double zeroStdFraction() {
            return sampledGroups == 0 ? 0.0 : (double) zeroStdGroups / sampledGroups;
        }
    }

    /**
     * With grpo.dynamic_sampling: {@link #collect(int, int, GroupSource, Function)} with max_sampling_tries.
     * Without: one round, every group kept (zero-std ones included), the fraction still reported.
     */
    public static <G> Result<G> forStep(GrpoLossConfig config, int targetGroups, GroupSource<G> source, Function<G, double[]> rewardsOf) {
        if (config.dynamicSampling()) return collect(targetGroups, config.maxSamplingTries(), source, rewardsOf);
        List<G> round = source.sample(0);
        int zero = 0;
        for (G g : round) if (Advantages.zeroStd(rewardsOf.apply(g))) zero++;
        return new Result<>(List.copyOf(round), 1, round.size(), zero, round.size() >= targetGroups);
    }

    /** Keeps non-zero-std groups from up to {@code maxTries} rounds until {@code targetGroups} are kept. */
    public static <G> Result<G> collect(int targetGroups, int maxTries, GroupSource<G> source, Function<G, double[]> rewardsOf) {
        if (targetGroups < 1) throw new IllegalArgumentException("targetGroups must be >= 1");
        if (maxTries < 1) throw new IllegalArgumentException("maxTries must be >= 1");
        List<G> kept = new ArrayList<>();
        int rounds = 0, sampled = 0, zero = 0;
        while (kept.size() < targetGroups && rounds < maxTries) {
            List<G> round = source.sample(rounds);
            rounds++;
            if (round.isEmpty()) break;
            for (G g : round) {
                sampled++;
                if (Advantages.zeroStd(rewardsOf.apply(g))) zero++;
                else if (kept.size() < targetGroups) kept.add(g);
            }
        }
        return new Result<>(List.copyOf(kept), rounds, sampled, zero, kept.size() == targetGroups);
    }
}
