package rift.parity;

import java.util.List;
import rift.rollout.RolloutEngine;

/**
 * What one backend produced in a parity run.
 *
 * @param sft          the first SFT step
 * @param sftLoss      its loss
 * @param curve        the loss of every SFT step (the first included)
 * @param grpo         the GRPO step's optimizer update
 * @param grpoLoss     its surrogate loss, as logged
 * @param grpoEntropy  its mean token entropy, as logged
 * @param grpoRewardStd the reward spread of its batch (0: no learning signal)
 * @param grpoTexts    "finish|tokens|text" of every GRPO completion, in order
 * @param grpoRewards  reward then advantage of every completion, interleaved
 * @param rollout      the rollout check's completions (tokens and the sampler's log-probs)
 * @param scored       teacher-forced log-probs of the other side's rollout completions (CPU side only), flattened
 * @param tfLogp       teacher-forced log-probs of the SFT sequences' next tokens
 * @param tfEntropy    the entropies at the same positions
 * @param storedBf16   the backend stored the model in bf16 (initial weights rounded, fp32 masters)
 */
record SideResult(String backend, StepState sft, double sftLoss, double[] curve, StepState grpo, double grpoLoss, double grpoEntropy,
                  double grpoRewardStd, List<String> grpoTexts, double[] grpoRewards, List<RolloutEngine.Completion> rollout,
                  float[] scored, float[] tfLogp, float[] tfEntropy, boolean storedBf16) {}
