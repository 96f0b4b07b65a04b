package rift.testbed;

import java.util.Locale;

/**
 * The independent item streams of one testbed seed. Each split draws from its own derived seed, so
 * adding items to one split never changes another.
 */
public enum Split {
    /** Documents of every family with direct answers, for pretraining the base model. */
    PRETRAIN(1),
    /** Math problems for post-training: SFT item i and RL item i are the same problem. */
    MATH_TRAIN(2),
    /** Held-out items of every family. */
    EVAL(3);

    private final long code;

    Split(long code) {
        this.code = code;
    }

    /** The item seed of this split under testbed seed {@code seed}. */
    public long seed(long seed) {
        return rift.util.Rng.derive(seed, 0x7E57BEDL, code).nextLong();
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
