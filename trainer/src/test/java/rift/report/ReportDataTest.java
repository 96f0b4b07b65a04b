package rift.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import rift.eval.ti.BenchmarkGroup;
import rift.kernels.RiftException;

class ReportDataTest {
    static final ReportData GOOD = SyntheticReport.data(true);

    static ReportData withScores(UnaryOperator<List<BenchmarkScore>> edit) {
        List<BenchmarkScore> s = edit.apply(new ArrayList<>(GOOD.scores()));
        return new ReportData(GOOD.title(), GOOD.recipeText(), GOOD.arms(), s, GOOD.ti(), GOOD.probes(), GOOD.curves(), GOOD.environment());
    }

    static String error(ReportData d) {
        return assertThrows(RiftException.class, d::validate).getMessage();
    }

    @Test
    void theSyntheticDataIsValid() {
        GOOD.validate();
    }

    @Test
    void unknownArmIsNamedWithItsField() {
        String m = error(withScores(s -> {
            BenchmarkScore x = s.getFirst();
            s.set(0, new BenchmarkScore(x.model(), "ppo", x.seed(), x.benchmark(), x.group(), x.score(), x.ciLow(), x.ciHigh()));
            return s;
        }));
        assertTrue(m.contains("ReportData.scores[0].arm") && m.contains("'ppo'"), m);
    }

    @Test
    void scoreOutsidePercentAndCiNotAroundTheScoreAreRejected() {
        String m = error(withScores(s -> {
            BenchmarkScore x = s.get(2);
            s.set(2, new BenchmarkScore(x.model(), x.arm(), x.seed(), x.benchmark(), x.group(), 0.61, Double.NaN, Double.NaN));
            s.set(3, new BenchmarkScore(x.model(), x.arm(), x.seed() + 7, x.benchmark(), x.group(), 140, Double.NaN, Double.NaN));
            return s;
        }));
        assertTrue(m.contains("ReportData.scores[3].score is 140.0"), m);
        m = error(withScores(s -> {
            BenchmarkScore x = s.get(1);
            s.set(1, new BenchmarkScore(x.model(), x.arm(), x.seed(), x.benchmark(), x.group(), 50, 51, 60));
            return s;
        }));
        assertTrue(m.contains("scores[1].ciLow/ciHigh") && m.contains("does not contain"), m);
    }

    @Test
    void duplicateRowsAndInconsistentGroupsAreRejected() {
        String m = error(withScores(s -> {
            s.add(s.get(1));
            return s;
        }));
        assertTrue(m.contains("repeats arm"), m);
        m = error(withScores(s -> {
            BenchmarkScore x = s.get(1);
            s.set(1, new BenchmarkScore(x.model(), x.arm(), x.seed(), x.benchmark(), BenchmarkGroup.NON, x.score(), x.ciLow(), x.ciHigh()));
            return s;
        }));
        assertTrue(m.contains("give each benchmark one group"), m);
    }

    @Test
    void baseMustComeFirstAndOnlyOnce() {
        List<ArmResult> arms = List.of(GOOD.arms().get(1), GOOD.arms().get(0), GOOD.arms().get(2));
        ReportData d = new ReportData("t", "", arms, GOOD.scores(), List.of(), List.of(), List.of(), Map.of());
        assertTrue(error(d).contains("ReportData.arms[0].kind"), error(d));
        ReportData none = new ReportData("t", "", List.of(), List.of(), List.of(), List.of(), List.of(), Map.of());
        assertTrue(error(none).contains("ReportData.arms is empty"));
    }

    @Test
    void probesAndTiForTheBaseArmAreRejected() {
        ProbeResult p = GOOD.probes().getFirst();
        ProbeResult onBase = new ProbeResult("base", p.seed(), p.task(), p.tokenKl(), p.meanRankShift(), p.urial(),
                p.topShiftedTokens(), p.rankShiftHistogram(), p.pca(), p.pcaDistance());
        ReportData d = new ReportData("t", "", GOOD.arms(), GOOD.scores(), GOOD.ti(), List.of(onBase), List.of(), Map.of());
        assertTrue(error(d).contains("ReportData.probes[0].arm names the base arm"), error(d));
    }

    @Test
    void nullOptionalListsReadAsEmpty() {
        ReportData d = new ReportData(null, null, GOOD.arms(), GOOD.scores(), null, null, null, null);
        d.validate();
        assertEquals("", d.title());
        assertTrue(d.probes().isEmpty() && d.ti().isEmpty() && d.curves().isEmpty() && d.environment().isEmpty());
    }

    @Test
    void trainingCurveFromMapsNeedsAStep() {
        TrainingCurve c = TrainingCurve.fromMaps("sft", 1, List.of(Map.of("step", 3, "loss", 1.5), Map.of("step", 4L, "loss", 1.25f)));
        assertEquals(List.of(3L, 4L), c.steps().stream().map(TrainingCurve.Step::step).toList());
        assertEquals(Map.of("loss", 1.25), c.steps().get(1).metrics());
        RiftException e = assertThrows(RiftException.class, () -> TrainingCurve.fromMaps("sft", 1, List.of(Map.of("loss", 1.0))));
        assertTrue(e.getMessage().contains("row 0 has no 'step'"), e.getMessage());
    }
}
