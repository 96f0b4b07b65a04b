package rift.model;

import java.util.function.IntFunction;
import rift.util.Rng;

/**
 * NEFTune (Jain et al. 2023; TRL's neftune_noise_alpha): while SFT trains, uniform noise in [-m, m] is added to
 * the input embeddings, m = alpha / sqrt(L d), L the sequence's length and d the hidden size. Hugging Face takes L
 * as the padded batch length; rift packs without padding, so each sequence uses its own length. Evaluation and
 * generation never add it.
 */
public final class Neftune {
    private Neftune() {}

    /**
     * The noise [sum of lengths x hidden] for sequences laid out one after another (as {@link TokenBatch} packs
     * them); sequence j draws from its own generator, so the values do not depend on how sequences are grouped.
     */
    public static float[] noise(int[] lengths, int hidden, double alpha, IntFunction<Rng> rngOfSequence) {
        long total = 0;
        for (int len : lengths) total += len;
        float[] out = new float[Math.toIntExact(total * hidden)];
        int at = 0;
        for (int j = 0; j < lengths.length; j++) {
            int n = lengths[j] * hidden;
            if (n == 0) continue;
            double m = alpha / Math.sqrt(n);
            Rng rng = rngOfSequence.apply(j);
            for (int i = 0; i < n; i++) out[at++] = (float) ((2 * rng.nextDouble() - 1) * m);
        }
        return out;
    }
}
