package rift.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import rift.report.Summary.ArmRow;

/**
 * Whether this run's numbers point the way the paper's do (paper.md §4–5): RL on math transfers to other
 * domains better than SFT on math (higher TI_other and TI_non), and SFT drifts further from the base model
 * (higher token KL and larger PCA shift d). Each RL arm is compared with each SFT arm on every number both
 * have; the verdict only counts these comparisons, so it follows the data, whatever it says.
 */
final class Direction {
    private Direction() {}

    /** One number on which the paper ranks RL against SFT. */
    enum Metric {
        TI_OTHER("TI_other", 1, true, true, "RL transfers more to other reasoning", ArmRow::tiOther),
        TI_NON("TI_non", 1, true, true, "RL transfers more to non-reasoning", ArmRow::tiNon),
        TOKEN_KL("token KL", 3, false, false, "SFT drifts further from the base token distribution", ArmRow::tokenKl),
        PCA_D("PCA d", 2, false, false, "SFT shifts the representations further", ArmRow::pcaDistance);

        final String label;
        final int decimals;
        final boolean signed;
        /** true: the paper has RL above SFT; false: SFT above RL. */
        final boolean rlHigher;
        final String claim;
        final Function<ArmRow, Spread> value;

        Metric(String label, int decimals, boolean signed, boolean rlHigher, String claim, Function<ArmRow, Spread> value) {
            this.label = label;
            this.decimals = decimals;
            this.signed = signed;
            this.rlHigher = rlHigher;
            this.claim = claim;
            this.value = value;
        }
    }

    /**
     * One comparison.
     *
     * @param separated true when every seed agrees: the RL and SFT seed ranges do not overlap
     */
    record Check(Metric metric, String rlArm, Spread rl, String sftArm, Spread sft, boolean agrees, boolean separated) {

        /** E.g. "TI_non: grpo +12.3 vs sft -40.1 -> agrees with the paper (RL transfers more to non-reasoning); every seed agrees". */
        String sentence() {
            String a = metric.signed ? Fmt.signed(rl.mean(), metric.decimals) : Fmt.fixed(rl.mean(), metric.decimals);
            String b = metric.signed ? Fmt.signed(sft.mean(), metric.decimals) : Fmt.fixed(sft.mean(), metric.decimals);
            String verdict = agrees ? "agrees with the paper (" + metric.claim + ")"
                    : "disagrees with the paper, which finds " + metric.claim;
            String seeds;
            if (rl.n() < 2 || sft.n() < 2) seeds = "one seed on a side, so seed noise is unknown";
            else if (separated) seeds = agrees ? "every seed agrees" : "every seed disagrees";
            else seeds = "the seed ranges overlap";
            return metric.label + ": " + rlArm + " " + a + " vs " + sftArm + " " + b + " -> " + verdict + "; " + seeds;
        }
    }

    /** Every RL-against-SFT comparison the data allows, metric by metric. */
    static List<Check> checks(Summary summary) {
        List<ArmRow> rl = summary.rows.stream().filter(r -> r.arm().kind() == ArmKind.RL).toList();
        List<ArmRow> sft = summary.rows.stream().filter(r -> r.arm().kind() == ArmKind.SFT).toList();
        List<Check> out = new ArrayList<>();
        for (Metric m : Metric.values()) {
            for (ArmRow r : rl) {
                for (ArmRow s : sft) {
                    Spread a = m.value.apply(r), b = m.value.apply(s);
                    if (a.isEmpty() || b.isEmpty()) continue;
                    boolean agrees = m.rlHigher ? a.mean() > b.mean() : b.mean() > a.mean();
                    boolean separated = a.min() > b.max() || b.min() > a.max();
                    out.add(new Check(m, r.arm().name(), a, s.arm().name(), b, agrees, separated));
                }
            }
        }
        return out;
    }

    /** One sentence: does the paper's direction hold here, counted over the checks. */
    static String verdict(List<Check> checks) {
        String head = "Paper's direction (RL transfers, SFT drifts): ";
        if (checks.isEmpty()) {
            return head + "not assessed; it needs an SFT arm and an RL arm with TI or probe results.";
        }
        long agree = checks.stream().filter(Check::agrees).count();
        String count = agree + " of " + checks.size() + " checks agree";
        if (agree == checks.size()) return head + "holds in this data (" + count + ").";
        if (agree == 0) return head + "does not hold in this data (" + count + ").";
        return head + "holds only partly in this data (" + count + ").";
    }
}
