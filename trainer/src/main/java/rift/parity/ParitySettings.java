package rift.parity;

import rift.kernels.RiftException;

/**
 * The sizes of one parity run.
 *
 * @param records      math SFT records taken from data/testbed (the SFT and GRPO data)
 * @param sftBatch     sequences per SFT step
 * @param steps        SFT steps in the loss curve (the first is also the single-step check)
 * @param prompts      prompts of the GRPO step and of the rollout check
 * @param samples      completions per prompt (the GRPO group size G)
 * @param maxNewTokens completion budget of the rollouts
 * @param seed         the recipe seed: model init, data order, sampling streams
 */
public record ParitySettings(int records, int sftBatch, int steps, int prompts, int samples, int maxNewTokens, long seed) {
    public ParitySettings {
        if (records < 1 || sftBatch < 1 || steps < 1 || prompts < 1 || samples < 2 || maxNewTokens < 2)
            throw new RiftException("rift parity: --batch, --steps and --prompts must be >= 1, --samples and --max-new-tokens >= 2");
        if (prompts > records) throw new RiftException("rift parity: --prompts (" + prompts + ") must not exceed the " + records + " records used");
    }

    public static ParitySettings defaults() {
        return new ParitySettings(64, 16, 20, 8, 8, 48, 1);
    }
}
