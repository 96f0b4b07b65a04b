package rift.verify;

/**
 * The outcome of checking one response against one reference.
 *
 * @param correct    whether the response's final answer is equivalent to the reference answer
 * @param extracted  the answer found in the response, as written; null when none was found
 * @param normalized that answer in canonical form (see {@link MathVerifier}); null when none was found
 * @param reason     how the decision was reached: {@code exact}, {@code numeric}, {@code symbolic} (correct);
 *                   {@code mismatch}, {@code no-answer-found}, {@code no-reference}, {@code too-long},
 *                   {@code timeout} (not correct)
 */
public record Verdict(boolean correct, String extracted, String normalized, String reason) {}
