package rift.grpo;

import rift.grpo.GrpoLossConfig.KlEstimator;

/**
 * Schulman's KL estimators of KL(pi || pi_ref) per token, with d = log pi - log pi_ref, in verl's exact
 * forward ({@code kl_penalty_forward}, trainers.md §2.4 lines 276-285), and their derivative with respect
 * to log pi as torch autograd takes it (clamp passes the gradient inside its closed range, zero outside):
 * <pre>
 *   k1 = d                                     dk1/dlogp = 1
 *   k2 = d^2 / 2                               dk2/dlogp = d
 *   k3 = clamp(e^x - x - 1, -10, 10),          dk3/dlogp = 1 - e^x   if |d| <= 20 and e^x - x - 1 <= 10
 *        x = clamp(-d, -20, 20)                          = 0         otherwise
 *   abs = |d|                                  dabs/dlogp = sign(d) (0 at d = 0, as torch)
 *   k1+, k3+: the value of k1 or k3, the gradient of k2 (= d)
 * </pre>
 * The "+" estimators are verl's straight-through form ({@code kl_penalty}: k2 - k2.detach() + k.detach()): the
 * reported penalty is k1's or k3's, the gradient the on-policy KL gradient that k2 gives.
 * Like verl, only k3 is clamped: k1 and k2 are polynomials in d and cannot overflow. Note that k3 saturates
 * at 10 (value 10, gradient 0) once d < -2.611 (pi_ref 13.6x more likely than pi) or d > 11.000; the d clamp
 * at +-20 therefore never shows in the value, it only keeps exp finite.
 */
public final class Kl {
    /** verl clamps the log-ratio of k3 to [-20, 20] before exp. */
    public static final double LOG_RATIO_CLAMP = 20.0;
    /** verl clamps k3 itself to [-10, 10]. */
    public static final double K3_CLAMP = 10.0;

    private Kl() {}

    public static double value(KlEstimator e, double logp, double refLogp) {
        double d = logp - refLogp;
        return switch (e) {
            case K1 -> d;
            case K2 -> 0.5 * d * d;
            case K3 -> k3(d);
            case ABS -> Math.abs(d);
            case K1_PLUS -> d;
            case K3_PLUS -> k3(d);
        };
    }

    /** d value / d logp (refLogp is a constant). */
    public static double grad(KlEstimator e, double logp, double refLogp) {
        double d = logp - refLogp;
        return switch (e) {
            case K1 -> 1.0;
            case K2 -> d;
            case K3 -> {
                double x = -d;
                if (x < -LOG_RATIO_CLAMP || x > LOG_RATIO_CLAMP) yield 0.0;
                double v = Math.exp(x) - x - 1;
                if (v < -K3_CLAMP || v > K3_CLAMP) yield 0.0;
                yield 1.0 - Math.exp(x);
            }
            case ABS -> Math.signum(d);
            case K1_PLUS, K3_PLUS -> d; // straight-through: k2's gradient
        };
    }

    private static double k3(double d) {
        double x = clamp(-d, LOG_RATIO_CLAMP);
        return clamp(Math.exp(x) - x - 1, K3_CLAMP);
    }

    static double clamp(double v, double bound) {
        return Math.max(-bound, Math.min(bound, v));
    }
}
