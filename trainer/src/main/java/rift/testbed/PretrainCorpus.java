package rift.testbed;

import java.util.ArrayList;
import java.util.List;

/**
 * The pretraining mix: documents from ALL families, each "prompt + direct answer" with no reasoning
 * trace, so a from-scratch base model learns some ability everywhere and math-only post-training can
 * show both transfer and forgetting. Families are interleaved round-robin (document i is family
 * {@code i mod 8}), so every prefix of the corpus is balanced; within a family, variants cycle too.
 *
 * <p>A document is {@code prompt + answer} with no end-of-text marker: the trainer separates documents
 * with {@code <|endoftext|>}, and SFT/RL append it after the completion, so the model learns to stop
 * after an answer in every stage.
 */
public final class PretrainCorpus {
    private PretrainCorpus() {}

    public static final List<Family> MIX = List.of(Family.values());

    /** Item behind document {@code i}. */
    public static Item item(long seed, long i) {
        Family f = MIX.get((int) (i % MIX.size()));
        long index = i / MIX.size();
        return f.generate(Split.PRETRAIN.seed(seed), index).withId(f.key() + "-" + Split.PRETRAIN.key() + "-" + index);
    }

    /** The text of a pretraining document for {@code item}. */
    public static String document(Item item) {
        return item.prompt() + item.family().directAnswer(item);
    }

    public static List<Item> items(long seed, int count) {
        List<Item> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(item(seed, i));
        return out;
    }

    public static List<String> documents(long seed, int count) {
        List<String> out = new ArrayList<>(count);
        for (Item it : items(seed, count)) out.add(document(it));
        return out;
    }
}
