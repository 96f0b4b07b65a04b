package rift.eval;

import java.util.List;

/**
 * Everything one item produced: its prompt, each sample's response and finish reason, and each sample's
 * judgement. Log-likelihood items have no responses and one judgement.
 *
 * @param promptTruncated whether the prompt was cut on the left to fit the model's context
 */
public record ItemResult(int index, String id, String prompt, List<String> references, List<String> responses,
                         List<String> finishes, List<Judgement> judgements, boolean promptTruncated) {
    public ItemResult {
        references = List.copyOf(references);
        responses = List.copyOf(responses);
        finishes = List.copyOf(finishes);
        judgements = List.copyOf(judgements);
        if (judgements.isEmpty()) throw new IllegalArgumentException("item " + id + " has no judgement");
    }

    /** Mean credit over the samples (avg@k numerator). */
    public double score() {
        double s = 0;
        for (Judgement j : judgements) s += j.score();
        return s / judgements.size();
    }

    /** Mean credit available over the samples (1 unless the scorer weights items). */
    public double weight() {
        double w = 0;
        for (Judgement j : judgements) w += j.weight();
        return w / judgements.size();
    }

    /** Fraction of samples with full credit. */
    public double correctFraction() {
        return judgements.stream().filter(Judgement::correct).count() / (double) judgements.size();
    }

    /** Total credit over total weight, in percent (NaN for no items). */
    public static double percent(List<ItemResult> results) {
        double s = 0, w = 0;
        for (ItemResult r : results) {
            s += r.score();
            w += r.weight();
        }
        return 100 * s / w;
    }

    /** Percent of all samples for which {@code test} holds. */
    public static double percentOfSamples(List<ItemResult> results, java.util.function.Predicate<Judgement> test) {
        long hit = 0, n = 0;
        for (ItemResult r : results)
            for (Judgement j : r.judgements()) {
                n++;
                if (test.test(j)) hit++;
            }
        return 100.0 * hit / n;
    }
}
