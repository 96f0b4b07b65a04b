package rift.verify;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * rift's math answer verifier: the reward of GRPO and the scorer of math evaluation.
 *
 * <p>{@link #verify} finds the final answer in a response ({@link AnswerExtractor}: boxed first in
 * math mode, {@code #### N} then the last number in gsm8k mode), normalizes it and the reference
 * ({@link AnswerNormalizer}: the Hendrycks MATH rules), and decides equivalence: equal normalized
 * strings ("exact"), equal values ("numeric": exact rationals, or a 1e-6 relative tolerance where a
 * decimal or an irrational is involved), or equal expressions ("symbolic": agreement at sample points)
 * — with structure respected: tuples and intervals in order and with their brackets, sets and answer
 * lists in any order, matrices cell by cell, equations up to a constant factor.
 *
 * <p>Every call has a budget (a step count and a wall-clock limit) checked cooperatively inside the
 * parsing, evaluation and comparison loops, and input sizes are capped (answer length, nesting depth,
 * exact-number size, factorial and binomial size), so no input can hang or exhaust memory. A spent
 * budget gives a "timeout" verdict (not correct) and is counted. Instances are immutable apart from
 * their atomic counters and safe to share between threads: a GRPO batch can be scored in parallel.
 */
public final class MathVerifier {
    /** Wall-clock limit per call; normal answers need well under a millisecond. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(2);
    /** Work limit per call; a normal answer uses a few thousand steps. */
    public static final long DEFAULT_STEP_LIMIT = 2_000_000;
    /** Extracted or reference answers longer than this are not parsed (verdict "too-long"). */
    public static final int MAX_ANSWER_CHARS = 1000;
    /** Only the tail of longer responses is searched: the final answer is at the end. */
    public static final int MAX_RESPONSE_CHARS = 1_000_000;

    /** Running totals since construction, for logging timeouts and unanswered responses. */
    public record Stats(long calls, long correct, long timeouts, long noAnswer) {}

    private final long timeLimitNanos;
    private final long stepLimit;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong correct = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong noAnswer = new AtomicLong();

    public MathVerifier() {
        this(DEFAULT_TIME_LIMIT, DEFAULT_STEP_LIMIT);
    }

    public MathVerifier(Duration timeLimit, long stepLimit) {
        if (timeLimit.isNegative() || timeLimit.isZero()) throw new IllegalArgumentException("time limit must be positive: " + timeLimit);
        if (stepLimit <= 0) throw new IllegalArgumentException("step limit must be positive: " + stepLimit);
        this.timeLimitNanos = timeLimit.toNanos();
        this.stepLimit = stepLimit;
    }

    /** Checks a response against a reference in math mode. */
    public Verdict verify(String response, String reference) {
        return verify(response, reference, VerifyMode.MATH);
    }

    /**
     * Checks {@code response} (a model's full output) against {@code reference} (a bare answer such as
     * {@code \frac{1}{2}}, or a solution with a boxed answer or ending in {@code #### N}).
     */
    public Verdict verify(String response, String reference, VerifyMode mode) {
        calls.incrementAndGet();
        Budget budget = new Budget(timeLimitNanos, stepLimit);
        String extracted = null, normalized = null;
        try {
            String refAnswer = reference == null ? null : AnswerExtractor.fromReference(tail(reference), mode, budget);
            if (response != null) extracted = AnswerExtractor.fromResponse(tail(response), mode, budget);
            if (extracted == null || extracted.isBlank()) {
                noAnswer.incrementAndGet();
                return new Verdict(false, null, null, "no-answer-found");
            }
            if (extracted.length() > MAX_ANSWER_CHARS) return new Verdict(false, extracted, null, "too-long");
            normalized = AnswerNormalizer.normalize(extracted, budget);
            if (refAnswer == null) return new Verdict(false, extracted, normalized, "no-reference");
            if (refAnswer.length() > MAX_ANSWER_CHARS) return new Verdict(false, extracted, normalized, "too-long");
            String normRef = AnswerNormalizer.normalize(refAnswer, budget);
            if (normalized.isEmpty()) {
                noAnswer.incrementAndGet();
                return new Verdict(false, extracted, normalized, "no-answer-found");
            }
            Equivalence.Match m = normalized.equals(normRef) ? Equivalence.Match.EXACT
                    : Equivalence.compare(Answer.parse(normalized, budget), Answer.parse(normRef, budget), budget);
            if (m == Equivalence.Match.NONE) return new Verdict(false, extracted, normalized, "mismatch");
            correct.incrementAndGet();
            return new Verdict(true, extracted, normalized, m.reason());
        } catch (Budget.Exhausted e) {
            timeouts.incrementAndGet();
            return new Verdict(false, extracted, normalized, "timeout");
        }
    }

    /** The answer this verifier would extract from {@code response} (null when none). */
    public static String extractAnswer(String response, VerifyMode mode) {
        return AnswerExtractor.fromResponse(tail(response), mode, Budget.unlimited());
    }

    /** The canonical form of one answer, as used for the "exact" comparison (longer answers come back stripped only). */
    public static String normalize(String answer) {
        if (answer.length() > MAX_ANSWER_CHARS) return answer.strip();
        return AnswerNormalizer.normalize(answer, Budget.unlimited());
    }

    public Stats stats() {
        return new Stats(calls.get(), correct.get(), timeouts.get(), noAnswer.get());
    }

    private static String tail(String text) {
        return text.length() <= MAX_RESPONSE_CHARS ? text : text.substring(text.length() - MAX_RESPONSE_CHARS);
    }
}
