package rift.train;

/**
 * One tokenised SFT example: prompt tokens followed by completion tokens (ending with the end token).
 * Position t predicts token t+1; with completion-only loss only predictions of completion tokens count.
 */
public record SftSequence(int[] tokens, int promptLength) {
    public SftSequence {
        if (promptLength < 0 || promptLength > tokens.length) throw new IllegalArgumentException("bad prompt length");
    }

    /** Tokens that carry a loss: completion tokens (completion-only) or every token after the first. */
    public int lossTokens(boolean completionOnly) {
        return completionOnly ? tokens.length - Math.max(promptLength, 1) : tokens.length - 1;
    }

    /** targets[t] = tokens[t+1] where that prediction is trained, else -1; length = tokens.length. */
    public int[] targets(boolean completionOnly) {
        int[] t = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            boolean trained = i + 1 < tokens.length && (!completionOnly || i + 1 >= promptLength);
            t[i] = trained ? tokens[i + 1] : -1;
        }
        return t;
    }
}
