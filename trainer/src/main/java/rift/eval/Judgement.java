package rift.eval;

import java.util.Map;

/**
 * A scorer's verdict on one response (or, for log-likelihood multiple choice, on one item).
 *
 * @param extracted the answer the scorer read from the response (null when none was found or the scorer
 *                  judges the whole response)
 * @param score     credit earned, between 0 and {@code weight}
 * @param weight    credit available: 1 for most scorers; the number of instructions for IFEval's
 *                  instruction-level metrics, whose benchmark score is a ratio over all instructions
 * @param detail    scorer-specific facts worth keeping in the per-item results (JSON-serialisable)
 */
public record Judgement(String extracted, double score, double weight, Map<String, Object> detail) {
    public Judgement {
        if (!(weight > 0) || score < 0 || score > weight) throw new IllegalArgumentException("score " + score + " of weight " + weight);
        detail = detail == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(detail));
    }

    /** A right-or-wrong verdict (weight 1). */
    public static Judgement of(String extracted, boolean correct, Map<String, Object> detail) {
        return new Judgement(extracted, correct ? 1 : 0, 1, detail);
    }

    /** Full credit. */
    public boolean correct() {
        return score == weight;
    }
}
