package rift.grpo;

import rift.grpo.GrpoLossConfig.ImportanceSamplingLevel;
import rift.grpo.GrpoLossConfig.KlIn;
import rift.grpo.GrpoLossConfig.PolicyLoss;

/**
 * The GRPO / PPO-clip loss of one micro-batch and its gradient with respect to each token's log-prob and
 * entropy; no autograd, the trainer feeds {@link LossResult#dLogp} and {@link LossResult#dEntropy} to the
 * model's backward. Everything is in double; the result is a pure function of the inputs.
 *
 * <p>Per token of completion i (advantage A = A_i), verl compute_policy_loss_vanilla (trainers.md §2.2 lines
 * 218-226):
 * <pre>
 *   r    = clamp(logp - old_logp, -20, 20)          rho = exp(r)
 *   pg1  = -A * rho
 *   pg2  = -A * clamp(rho, 1 - eps_low, 1 + eps_high)
 *   pg   = max(pg1, pg2)
 *   if A < 0 and clip_ratio_c != null:  pg = min(pg, -A * c)        (dual clip)
 *   l    = pg + beta * k(logp, ref_logp)    [kl_in: loss]  - entropy_coef * entropy
 * </pre>
 * and the step loss is L = sum over loss tokens of weight_i * l (weight_i from the step's {@link Normaliser}),
 * i.e. verl's pg_loss + kl_loss_coef * agg(kl) - entropy_coeff * agg(entropy), all three aggregated with the
 * same mode (§2.2 lines 237-239). Written as the objective: l = -min(rho A, clip(rho) A), the TRL form
 * (§2.1 lines 170-177).
 *
 * <p>Gradients follow torch autograd of that expression exactly: d rho / d logp = rho inside the +-20 clamp
 * and 0 outside; clamp passes the gradient on its closed range; max/min send it to the larger/smaller
 * argument and split it half/half on a tie. Consequences: inside the band pg1 = pg2 and the full gradient
 * -A rho flows; with A > 0 and rho > 1 + eps_high, or A < 0 and rho < 1 - eps_low, the clipped branch wins
 * and the gradient is 0; on the other ("correct") side of the band the unclipped branch wins and keeps
 * -A rho; with the dual clip a token with A < 0 and loss above -A c gets 0. d l / d entropy = -entropy_coef.
 *
 * <p>With mu = 1 the first pass has old_logp = logp, so rho = 1 and the loss is sum weight * (-A), which is
 * 0 when advantages are centred per group and lengths equal, while the gradient -A * weight is not.
 *
 * <p>importance_sampling_level: sequence (GSPO, TRL's GRPOConfig of that name) replaces each token's ratio by its
 * completion's length-normalised sequence ratio, the same for every loss token of completion i:
 * <pre>
 *   r_i = (1 / n_i) sum_t m_t (logp_t - old_logp_t)     n_i = loss tokens of completion i     s_i = exp(r_i)
 * </pre>
 * and pg, clipping and the clip metrics use s_i (the +-20 clamp applies to r_i). As in TRL, the step loss is
 * still sum_i sum_t m_t weight_i pg(s_i) = sum_i weight_i n_i pg(s_i), so d L / d logp_t = weight_i pg'(r_i):
 * every token of a completion gets the same gradient, and whether the completion is clipped is decided once for
 * all of them. This equals verl's GSPO-token form (ratio sg[s_i] pi/sg[pi]) in value and gradient. KL, entropy
 * and approx_kl stay per token.
 *
 * <p>policy_loss: cispo replaces pg by CISPO's -sg(clip(rho, 1 - eps_low, 1 + eps_high)) * A * logp ({@link #cispo}).
 *
 * <p>top_entropy_quantile ({@link SequenceBatch#pgMask}) keeps pg only on the tokens the mask keeps, as TRL multiplies
 * the per-token pg loss by its entropy mask: KL, entropy and the normaliser still count every loss token.
 *
 * <p>kl_bias_correction (TRL's use_bias_correction_kl, DeepSeek-V3.2's unbiased KL) multiplies each token's KL
 * term by the level's ratio: beta * k_t * rho_t (token level) or beta * k_t * s_i (sequence level), gradient
 * through the ratio included: d/d logp_t = beta (k_t' rho_t + k_t rho_t) per token, or beta (k_t' s_i +
 * s_i / n_i * sum_u k_u) at the sequence level (the ratio's clamp as above).
 */
public final class GrpoLoss {
    /** verl clamps the log-ratio to [-20, 20] before exp. */
    public static final double LOG_RATIO_CLAMP = 20.0;

    private final GrpoLossConfig config;

    public GrpoLoss(GrpoLossConfig config) {
        this.config = config;
    }

    /** The surrogate of one token: its value pg, d pg / d logp, and which clip (if any) decided it. */
    public record Surrogate(double value, double grad, double ratio, double logRatio, boolean clipLow, boolean clipHigh,
                            boolean clipDual) {}

    /** verl's vanilla policy loss of one token with advantage {@code a} (see class comment). */
    public static Surrogate surrogate(double logp, double oldLogp, double a, double epsLow, double epsHigh, Double clipC) {
        double raw = logp - oldLogp;
        double r = Kl.clamp(raw, LOG_RATIO_CLAMP);
        double rho = Math.exp(r);
        double dRho = ratioGrad(raw, rho);
        double lo = 1 - epsLow, hi = 1 + epsHigh;

        double pg1 = -a * rho, dPg1 = -a * dRho;
        double clipped = Math.min(Math.max(rho, lo), hi);
        double pg2 = -a * clipped, dPg2 = rho >= lo && rho <= hi ? dPg1 : 0.0;

        double pg, dPg;
        if (pg1 > pg2) { pg = pg1; dPg = dPg1; }
        else if (pg2 > pg1) { pg = pg2; dPg = dPg2; }
        else { pg = pg1; dPg = 0.5 * (dPg1 + dPg2); }

        boolean dual = false;
        if (a < 0 && clipC != null) {
            double pg3 = -a * clipC;
            if (pg3 < pg) { pg = pg3; dPg = 0.0; dual = true; }
            else if (pg3 == pg) dPg = 0.5 * dPg;
        }
        return new Surrogate(pg, dPg, rho, r, a < 0 && rho < lo, a > 0 && rho > hi, dual);
    }

    /**
     * CISPO's term of one token (MiniMax-M1; TRL's loss_type cispo): -sg(w) * A * logp with w = clamp(rho, 1 - eps_low,
     * 1 + eps_high) detached, so d/dlogp = -w A. Unlike ppo no token loses its gradient; the clip only bounds its
     * weight. The clip metrics count rho outside the band on either side, whatever the sign of A.
     */
    public static Surrogate cispo(double logp, double oldLogp, double a, double epsLow, double epsHigh) {
        double r = Kl.clamp(logp - oldLogp, LOG_RATIO_CLAMP);
        double rho = Math.exp(r);
        double lo = 1 - epsLow, hi = 1 + epsHigh;
        double w = Math.min(Math.max(rho, lo), hi);
        return new Surrogate(-w * a * logp, -w * a, rho, r, rho < lo, rho > hi, false);
    }

    /** Loss share, gradients and metric sums of one micro-batch under the step's normaliser. */
    public LossResult compute(SequenceBatch mb, Normaliser norm) {
        if (norm.mode() != config.lossAgg()) throw new IllegalArgumentException("normaliser is for " + norm.mode() + ", config says " + config.lossAgg());
        boolean klLoss = config.klIn() == KlIn.LOSS && config.beta() > 0;
        boolean entropyTerm = config.entropyCoef() != 0;
        if (klLoss && mb.refLogp() == null) throw new IllegalArgumentException("beta > 0 with kl_in: loss needs reference log-probs");
        if (entropyTerm && mb.entropy() == null) throw new IllegalArgumentException("entropy_coef != 0 needs per-token entropies");

        int n = mb.tokens();
        double[] dLogp = new double[n];
        double[] dEntropy = entropyTerm ? new double[n] : null;
        double pgSum = 0, klSum = 0, entSum = 0, approxKl = 0, refKl = 0, entropySum = 0;
        long tokens = 0, clipLow = 0, clipHigh = 0, clipDual = 0, refTokens = 0, entropyTokens = 0;

        boolean sequenceLevel = config.importanceSamplingLevel() == ImportanceSamplingLevel.SEQUENCE;
        boolean biasCorrected = klLoss && config.klBiasCorrection();
        boolean cispo = config.policyLoss() == PolicyLoss.CISPO;
        for (int s = 0; s < mb.sequences(); s++) {
            int maskedTokens = mb.maskedTokens(s);
            double w = norm.tokenWeight(maskedTokens);
            double a = mb.advantage()[s];
            double seqLogRatio = sequenceLevel && maskedTokens > 0 ? meanLogRatio(mb, s, maskedTokens) : 0;
            Surrogate seqSg = sequenceLevel && maskedTokens > 0
                    ? surrogate(seqLogRatio, 0.0, a, config.epsilonLow(), config.epsilonHigh(), config.clipRatioC())
                    : null;
            // GSPO with a policy-gradient mask: the completion's pg(s_i) counts on its k_i kept tokens, and s_i depends on
            // all n_i loss tokens, so each loss token's gradient is weight_i pg'(r_i) k_i / n_i (k_i = n_i without a mask)
            double seqPgShare = 1.0;
            if (seqSg != null && mb.pgMask() != null) {
                int kept = 0;
                for (int t = mb.seqStart()[s]; t < mb.seqStart()[s + 1]; t++) if (mb.inPolicyGradient(t)) kept++;
                seqPgShare = (double) kept / maskedTokens;
            }
            // bias-corrected KL at the sequence level: every token's k_t rho_s depends on every logp of the
            // completion through rho_s (d rho_s / d logp_u = rho_s / |s|), so each token's gradient gets
            // beta (sum_t k_t) rho_s / |s|
            double seqKlPull = 0;
            if (biasCorrected && seqSg != null) {
                double kSum = 0;
                for (int t = mb.seqStart()[s]; t < mb.seqStart()[s + 1]; t++)
                    if (mb.mask()[t]) kSum += Kl.value(config.klEstimator(), mb.logp()[t], mb.refLogp()[t]);
                seqKlPull = config.beta() * kSum * ratioGrad(seqLogRatio, seqSg.ratio()) / maskedTokens;
            }
            for (int t = mb.seqStart()[s]; t < mb.seqStart()[s + 1]; t++) {
                if (!mb.mask()[t]) continue;
                tokens++;
                Surrogate sg = sequenceLevel ? seqSg
                        : cispo ? cispo(mb.logp()[t], mb.oldLogp()[t], a, config.epsilonLow(), config.epsilonHigh())
                        : surrogate(mb.logp()[t], mb.oldLogp()[t], a, config.epsilonLow(), config.epsilonHigh(), config.clipRatioC());
                boolean pg = mb.inPolicyGradient(t); // grpo.top_entropy_quantile drops the pg term of low-entropy tokens
                if (pg) pgSum += w * sg.value();
                double g = sequenceLevel ? sg.grad() * seqPgShare : pg ? sg.grad() : 0.0; // x * 1.0 is exact: no mask, same bits
                if (sg.clipLow()) clipLow++;
                if (sg.clipHigh()) clipHigh++;
                if (sg.clipDual()) clipDual++;
                double tokenLogRatio = Kl.clamp(mb.logp()[t] - mb.oldLogp()[t], LOG_RATIO_CLAMP);
                approxKl += Math.exp(tokenLogRatio) - 1 - tokenLogRatio; // per token at either level
                if (mb.refLogp() != null) {
                    double k = Kl.value(config.klEstimator(), mb.logp()[t], mb.refLogp()[t]);
                    refKl += k;
                    refTokens++;
                    if (klLoss) {
                        double kGrad = Kl.grad(config.klEstimator(), mb.logp()[t], mb.refLogp()[t]);
                        if (!biasCorrected) {
                            klSum += w * config.beta() * k;
                            g += config.beta() * kGrad;
                        } else { // beta k rho (TRL use_bias_correction_kl), rho the level's ratio as the surrogate clamps it
                            double rho = sg.ratio();
                            klSum += w * config.beta() * k * rho;
                            g += config.beta() * kGrad * rho;
                            g += sequenceLevel ? seqKlPull : config.beta() * k * ratioGrad(mb.logp()[t] - mb.oldLogp()[t], rho);
                        }
                    }
                }
                if (mb.entropy() != null) {
                    entropySum += mb.entropy()[t];
                    entropyTokens++;
                }
                if (entropyTerm) {
                    entSum += w * -config.entropyCoef() * mb.entropy()[t];
                    dEntropy[t] = -config.entropyCoef() * w;
                }
                dLogp[t] = w * g;
            }
        }
        if (norm.tokens() < tokens || norm.sequences() < mb.sequences())
            throw new IllegalArgumentException("micro-batch has " + tokens + " loss tokens / " + mb.sequences()
                    + " completions but the step normaliser counted " + norm.tokens() + " / " + norm.sequences()
                    + ": build the Normaliser from the whole step");
        LossStats stats = new LossStats(pgSum, klSum, entSum, tokens, n, clipLow, clipHigh, clipDual, approxKl, refKl,
                refTokens, entropySum, entropyTokens, mb.sequences());
        return new LossResult(stats, dLogp, dEntropy);
    }

    /** d ratio / d log-ratio of a ratio exp(clamp(logRatio)): the ratio itself inside the clamp, 0 outside. */
    static double ratioGrad(double logRatio, double ratio) {
        return logRatio >= -LOG_RATIO_CLAMP && logRatio <= LOG_RATIO_CLAMP ? ratio : 0.0;
    }

    /** GSPO's r_i: mean of logp - old_logp over the loss tokens of completion s, summed in token order. */
    static double meanLogRatio(SequenceBatch mb, int s, int maskedTokens) {
        double sum = 0;
        for (int t = mb.seqStart()[s]; t < mb.seqStart()[s + 1]; t++) if (mb.mask()[t]) sum += mb.logp()[t] - mb.oldLogp()[t];
        return sum / maskedTokens;
    }
}
