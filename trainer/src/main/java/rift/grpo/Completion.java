package rift.grpo;

/**
 * One sampled (or dataset) completion as the reward functions see it.
 *
 * @param prompt     the prompt text
 * @param text       the completion text
 * @param tokenCount completion length in tokens (what the overlong reward measures)
 * @param truncated  true when generation stopped at max_new_tokens without a stop/EOS token
 * @param reference  the gold answer
 * @param correct    the verifier's verdict (rift.verify.MathVerifier, run before scoring)
 */
public record Completion(String prompt, String text, int tokenCount, boolean truncated, String reference, boolean correct) {
    public Completion {
        if (tokenCount < 0) throw new IllegalArgumentException("tokenCount must be >= 0, got " + tokenCount);
    }
}
