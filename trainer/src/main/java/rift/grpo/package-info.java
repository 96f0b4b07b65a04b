/**
 * GRPO loss family and rewards as pure functions; the training loop (rift.train) calls them. The formulas,
 * with the lines of docs/trainers.md they come from:
 * <ul>
 *   <li>{@link rift.grpo.WeightedRewards}: r = sum_k w_k r_k (TRL sum_then_normalize, §2.1 l.151-154);
 *       correctness 1/0 or +1/-1 (DAPO, §2.3 l.274); format only on correct answers (open-instruct, §1 notes);
 *       overlong = DAPO soft punishment x penalty_factor (§2.3 l.264).</li>
 *   <li>{@link rift.grpo.KlInReward}: kl_in reward: s_i = score_i - beta sum_t k(old, ref) (verl apply_kl_penalty,
 *       §2.2 l.239-241).</li>
 *   <li>{@link rift.grpo.Advantages}: (r - mean_g) / (std_g + 1e-4), Bessel std, batch / none variants (TRL,
 *       §2.1 l.156-160); G = 1 gives 0; Eq. 3 weights one / reject / advantage (paper notes §3.6).</li>
 *   <li>{@link rift.grpo.GrpoLoss}: verl compute_policy_loss_vanilla with dual clip (§2.2 l.218-226), plus
 *       beta * k and - entropy_coef * H aggregated the same way (§2.2 l.237-239); KL estimators (§2.4).</li>
 *   <li>{@link rift.grpo.Normaliser}: token-mean / seq-mean-token-mean / seq-mean-token-sum-norm with step-global
 *       denominators (§0.1, §2.1 l.184-187, §2.2 l.232-235).</li>
 *   <li>{@link rift.grpo.DynamicSampling}: DAPO zero-std group filtering with bounded refill (§2.3 l.262).</li>
 * </ul>
 */
package rift.grpo;
