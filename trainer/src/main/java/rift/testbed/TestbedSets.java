package rift.testbed;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import rift.kernels.RiftException;

/**
 * The post-training and evaluation sets of a testbed seed.
 * <ul>
 *   <li>Math SFT: the first n problems of the math training stream with their teacher traces
 *       (the "distilled traces"; every trace passes the checker, like rejection sampling keeps).</li>
 *   <li>Math RL: the first n problems of the same stream, prompt and reference answer only, so SFT
 *       and RL train on the same problems (as in the paper) and differ only in the method.</li>
 *   <li>Evaluation: per family, items of the eval stream whose prompt appears in no training set
 *       (pretraining or math) and not earlier in the eval set.</li>
 * </ul>
 */
public final class TestbedSets {
    private TestbedSets() {}

    /** Math training problem {@code i} (with trace). */
    public static Item mathProblem(long seed, long i) {
        return Family.MATH.generate(Split.MATH_TRAIN.seed(seed), i).withId("math-" + Split.MATH_TRAIN.key() + "-" + i);
    }

    public static List<Item> mathTrain(long seed, int count) {
        List<Item> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(mathProblem(seed, i));
        return out;
    }

    /** The prompts of every training item: pretraining documents and math post-training problems. */
    public static Set<String> trainingPrompts(long seed, int pretrain, int mathTrain) {
        Set<String> prompts = new HashSet<>();
        for (int i = 0; i < pretrain; i++) prompts.add(PretrainCorpus.item(seed, i).prompt());
        for (int i = 0; i < mathTrain; i++) prompts.add(mathProblem(seed, i).prompt());
        return prompts;
    }

    /** The result of drawing an eval set: the items and how many candidates were skipped as duplicates. */
    public record EvalSet(Family family, List<Item> items, int skippedTraining, int skippedRepeat) {}

    /**
     * {@code count} eval items of {@code family}, skipping candidates whose prompt is in {@code excluded}
     * or already chosen. Fails when the family's item space is too small to supply them.
     */
    public static EvalSet eval(Family family, long seed, int count, Set<String> excluded) {
        List<Item> items = new ArrayList<>(count);
        Set<String> seen = new HashSet<>();
        int skippedTraining = 0, skippedRepeat = 0;
        long limit = 50L * count + 1000;
        long splitSeed = Split.EVAL.seed(seed);
        for (long i = 0; items.size() < count; i++) {
            if (i >= limit)
                throw new RiftException("eval set for " + family.key() + ": only " + items.size() + " of " + count
                        + " items are new after " + limit + " candidates; ask for fewer eval items (--sizes eval=N)");
            Item it = family.generate(splitSeed, i);
            if (excluded.contains(it.prompt())) {
                skippedTraining++;
            } else if (!seen.add(it.prompt())) {
                skippedRepeat++;
            } else {
                items.add(it.withId(family.key() + "-" + Split.EVAL.key() + "-" + i));
            }
        }
        return new EvalSet(family, List.copyOf(items), skippedTraining, skippedRepeat);
    }
}
