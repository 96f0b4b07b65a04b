package rift.report;

import rift.eval.ti.BenchmarkGroup;

/**
 * One benchmark score of one arm and seed.
 *
 * @param model     the evaluated checkpoint's name (shown in the runs table)
 * @param arm       the arm's name ({@link ArmResult#name()})
 * @param seed      the training seed of the arm (for the base model: the evaluation seed)
 * @param benchmark the benchmark's name
 * @param group     math, other reasoning or non-reasoning
 * @param score     accuracy in percent, 0..100
 * @param ciLow     lower end of the score's confidence interval in percent; NaN when unknown
 * @param ciHigh    upper end of the confidence interval in percent; NaN when unknown
 */
public record BenchmarkScore(String model, String arm, int seed, String benchmark, BenchmarkGroup group,
                             double score, double ciLow, double ciHigh) {
    public BenchmarkScore {
        if (model == null) model = "";
    }

    /** Whether the row carries a confidence interval. */
    public boolean hasCi() {
        return !Double.isNaN(ciLow) && !Double.isNaN(ciHigh);
    }
}
