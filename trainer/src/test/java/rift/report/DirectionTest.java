package rift.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectionTest {

    @Test
    void paperLikeNumbersAgreeOnEveryCheck() {
        List<Direction.Check> checks = Direction.checks(Summary.of(SyntheticReport.data(true)));
        assertEquals(4, checks.size());
        assertTrue(checks.stream().allMatch(Direction.Check::agrees));
        assertTrue(checks.stream().allMatch(Direction.Check::separated));
        assertEquals("Paper's direction (RL transfers, SFT drifts): holds in this data (4 of 4 checks agree).",
                Direction.verdict(checks));
        assertEquals("TI_non: grpo +14.3 vs sft -43.1 -> agrees with the paper (RL transfers more to non-reasoning);"
                + " every seed agrees", checks.get(1).sentence());
    }

    @Test
    void swappedNumbersFlipEverySentence() {
        List<Direction.Check> checks = Direction.checks(Summary.of(SyntheticReport.data(false)));
        assertEquals(4, checks.size());
        assertTrue(checks.stream().noneMatch(Direction.Check::agrees));
        assertEquals("Paper's direction (RL transfers, SFT drifts): does not hold in this data (0 of 4 checks agree).",
                Direction.verdict(checks));
        assertEquals("TI_non: grpo -43.1 vs sft +14.3 -> disagrees with the paper, which finds RL transfers more to"
                + " non-reasoning; every seed disagrees", checks.get(1).sentence());
        assertTrue(checks.get(2).sentence().startsWith("token KL: grpo 0.415 vs sft 0.080 -> disagrees"), checks.get(2).sentence());
    }

    @Test
    void mixedNumbersHoldOnlyPartlyAndOverlappingSeedsAreSaid() {
        ReportData d = SyntheticReport.data(true);
        // sft's TI_non rises above grpo's for one seed only: means still agree, seed ranges overlap
        List<TiResult> ti = new ArrayList<>();
        for (TiResult t : d.ti()) {
            double non = t.arm().equals("sft") && t.seed() == 3 ? 60.0 : t.tiNon();
            ti.add(new TiResult(t.model(), t.arm(), t.seed(), t.di(), t.tiOther(), non, t.sigmaMode(), t.sigmas()));
        }
        // and sft's probes drift less than grpo's: KL and PCA d checks disagree
        List<ProbeResult> probes = new ArrayList<>();
        for (ProbeResult p : d.probes()) {
            boolean sft = p.arm().equals("sft");
            probes.add(new ProbeResult(p.arm(), p.seed(), p.task(), sft ? 0.01 : p.tokenKl(), p.meanRankShift(), p.urial(),
                    p.topShiftedTokens(), p.rankShiftHistogram(), p.pca(), sft ? 0.5 : p.pcaDistance()));
        }
        ReportData mixed = new ReportData(d.title(), d.recipeText(), d.arms(), d.scores(), ti, probes, d.curves(), d.environment());
        List<Direction.Check> checks = Direction.checks(Summary.of(mixed));
        assertEquals("Paper's direction (RL transfers, SFT drifts): holds only partly in this data (2 of 4 checks agree).",
                Direction.verdict(checks));
        Direction.Check non = checks.get(1);
        assertEquals(Direction.Metric.TI_NON, non.metric());
        assertTrue(non.agrees(), non.sentence()); // grpo 14.3 vs sft (−41.6 −43.1 +60)/3 = −8.2
        assertFalse(non.separated());
        assertTrue(non.sentence().endsWith("the seed ranges overlap"), non.sentence());
    }

    @Test
    void withoutAnRlArmNothingIsAssessed() {
        ReportData d = SyntheticReport.data(true);
        List<ArmResult> arms = List.of(d.arms().get(0), d.arms().get(1),
                new ArmResult("grpo", ArmKind.SFT, "a second SFT arm under the same name"));
        ReportData noRl = new ReportData(d.title(), d.recipeText(), arms, d.scores(), d.ti(), d.probes(), d.curves(), d.environment());
        List<Direction.Check> checks = Direction.checks(Summary.of(noRl));
        assertTrue(checks.isEmpty());
        assertTrue(Direction.verdict(checks).contains("not assessed"));
    }

    @Test
    void oneSeedASideSaysSeedNoiseIsUnknown() {
        Spread one = Spread.of(List.of(5.0)), three = Spread.of(List.of(1.0, 2.0, 3.0));
        Direction.Check c = new Direction.Check(Direction.Metric.PCA_D, "grpo", three, "sft", one, true, true);
        assertEquals("PCA d: grpo 2.00 vs sft 5.00 -> agrees with the paper (SFT shifts the representations further);"
                + " one seed on a side, so seed noise is unknown", c.sentence());
    }
}
