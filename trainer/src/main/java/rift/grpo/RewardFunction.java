package rift.grpo;

/** A scalar reward of one completion. Implementations are pure: same completion, same score. */
@FunctionalInterface
public interface RewardFunction {
    double score(Completion c);
}
