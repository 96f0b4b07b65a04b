package rift.eval.ti;

import java.util.EnumMap;
import java.util.Map;
import rift.kernels.RiftException;

/**
 * How TI is computed.
 *
 * <p><b>Sigma modes</b> (paper.md §1.3): the paper writes σ_g = Std{ΔR_b : b∈B_g}. Read literally that is
 * one model's spread over its own benchmarks ({@link SigmaMode#PER_MODEL}); the paper's reported table is
 * only reproduced when σ_g is the spread of all gains of group g pooled over every model evaluated
 * together ({@link SigmaMode#POOLED}, the default). {@link SigmaMode#FIXED} takes σ_math, σ_other, σ_non
 * from a reference pool so that TI values stay comparable across runs (the paper's 18-model pool gives
 * 16.122 / 18.431 / 20.462).
 *
 * <p><b>ddof</b>: the standard deviation divides by (n − ddof); the default 0 is the population standard
 * deviation. TI is a ratio DI_g/DI_math and every s_b scales as σ^(−1/2), so when σ_math and σ_g are
 * computed from the same number of values (pooled mode with every model scoring the same number of
 * benchmarks per group, as in the paper) the factor sqrt((n−ddof)/n) is identical in numerator and
 * denominator and cancels: ddof does not change TI. With unequal counts it does, slightly.
 *
 * @param formula   v2 (the paper's current definition) or v1 (older relative-gain form)
 * @param sigmaMode how σ_g is chosen (ignored by v1, which has no σ)
 * @param fixedSigmas σ per group for {@link SigmaMode#FIXED}; null otherwise
 * @param ddof      delta degrees of freedom of the standard deviation, 0 or more
 */
public record TiOptions(Formula formula, SigmaMode sigmaMode, Map<BenchmarkGroup, Double> fixedSigmas, int ddof) {

    /** Which TI definition. */
    public enum Formula {
        /** Paper v2: z-scored gains, signed square root, base-weakness weights. */
        V2,
        /** Paper v1: mean relative gain (R_model − R_base)/R_base per group, no σ, no weights. */
        V1_RELATIVE_GAIN
    }

    /** How σ_g is obtained for the v2 formula. */
    public enum SigmaMode {
        POOLED("pooled"),
        PER_MODEL("per-model"),
        FIXED("fixed");

        private final String label;

        SigmaMode(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public TiOptions {
        if (formula == null || sigmaMode == null) throw new IllegalArgumentException("formula and sigmaMode are required");
        if (ddof < 0) throw new RiftException("ddof is " + ddof + "; use 0 (population std, the default) or 1 (sample std)");
        if (sigmaMode == SigmaMode.FIXED) {
            if (fixedSigmas == null) {
                throw new RiftException("sigma mode fixed needs σ_math, σ_other, σ_non; pass --fixed-sigmas M,O,N");
            }
            EnumMap<BenchmarkGroup, Double> copy = new EnumMap<>(BenchmarkGroup.class);
            for (BenchmarkGroup g : BenchmarkGroup.values()) {
                Double s = fixedSigmas.get(g);
                if (s == null || !Double.isFinite(s) || s <= 0) {
                    throw new RiftException("fixed σ_" + g.label() + " is " + s + "; every fixed sigma must be a"
                            + " positive number (e.g. --fixed-sigmas 16.122,18.431,20.462)");
                }
                copy.put(g, s);
            }
            fixedSigmas = Map.copyOf(copy);
        } else if (fixedSigmas != null) {
            throw new RiftException("fixed sigmas were given but the sigma mode is " + sigmaMode.label()
                    + "; use --sigma fixed with --fixed-sigmas, or drop --fixed-sigmas");
        }
    }

    /** The paper-reproducing default: v2, pooled σ, population std. */
    public static TiOptions pooled() {
        return new TiOptions(Formula.V2, SigmaMode.POOLED, null, 0);
    }

    /** v2 with the literal per-model σ. */
    public static TiOptions perModel() {
        return new TiOptions(Formula.V2, SigmaMode.PER_MODEL, null, 0);
    }

    /** v2 with given σ_math, σ_other, σ_non. */
    public static TiOptions fixed(double math, double other, double non) {
        return new TiOptions(Formula.V2, SigmaMode.FIXED,
                Map.of(BenchmarkGroup.MATH, math, BenchmarkGroup.OTHER, other, BenchmarkGroup.NON, non), 0);
    }

    /** The older v1 relative-gain form. */
    public static TiOptions v1() {
        return new TiOptions(Formula.V1_RELATIVE_GAIN, SigmaMode.POOLED, null, 0);
    }

    public TiOptions withDdof(int newDdof) {
        return new TiOptions(formula, sigmaMode, fixedSigmas, newDdof);
    }
}
