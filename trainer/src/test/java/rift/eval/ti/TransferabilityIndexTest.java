package rift.eval.ti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rift.eval.ti.TiResult.GroupIndex;
import rift.eval.ti.TiResult.ModelTi;
import rift.kernels.RiftException;

class TransferabilityIndexTest {
    static final String BASE = "Qwen3-14B-Base";
    static final String RL = "UniReason-Qwen3-14B-RL";
    static final String THINK = "UniReason-Qwen3-14B-think-SFT";
    static final String NOTHINK = "UniReason-Qwen3-14B-no-think-SFT";

    static Path table1() {
        try {
            return Path.of(TransferabilityIndexTest.class.getResource("unireason_table1.csv").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ModelTi find(TiResult r, String model) {
        return r.models().stream().filter(m -> m.model().equals(model)).findFirst().orElseThrow();
    }

    static ScoreRow row(String model, String base, String bench, BenchmarkGroup g, double score) {
        return new ScoreRow(model, base, bench, g, score, 0);
    }

    /** paper.md §1.4: UniReason-RL vs Qwen3-14B-Base with the paper's pooled sigmas gives 82.0 / 52.3. */
    @Test
    void workedExampleWithPaperSigmas() {
        TiResult r = TransferabilityIndex.compute(ScoreTable.readCsv(table1()), TiOptions.fixed(16.122, 18.431, 20.462));
        ModelTi rl = find(r, RL);
        assertEquals(82.0, rl.tiOther(), 0.1);
        assertEquals(52.3, rl.tiNon(), 0.1);
        assertEquals(1.2365, rl.groups().get(BenchmarkGroup.MATH).di(), 5e-4);
        assertEquals(1.0139, rl.groups().get(BenchmarkGroup.OTHER).di(), 5e-4);
        assertEquals(0.6471, rl.groups().get(BenchmarkGroup.NON).di(), 5e-4);
        // intermediates of the worked example's table (AIME24 and ACPBench rows)
        var aime = rl.groups().get(BenchmarkGroup.MATH).terms().get(0);
        assertEquals("AIME24", aime.benchmark());
        assertEquals(42.7, aime.delta(), 1e-9);
        assertEquals(2.6485, aime.z(), 1e-4);
        assertEquals(1.6274, aime.signedRoot(), 1e-4);
        assertEquals(87.0, aime.weight(), 1e-9);
        assertEquals(0.3006, aime.normWeight(), 1e-4);
        var acp = rl.groups().get(BenchmarkGroup.OTHER).terms().get(2);
        assertEquals("ACPBench", acp.benchmark());
        assertEquals(2.9678, acp.z(), 1e-4);
        assertEquals(0.3196, acp.normWeight(), 1e-4);
    }

    /** With the paper's 18-model pooled sigmas, all three UniReason rows of Tab. 1 come back within 1 point. */
    @Test
    void reproducesTable1RowsWithPaperSigmas() {
        TiResult r = TransferabilityIndex.compute(ScoreTable.readCsv(table1()), TiOptions.fixed(16.122, 18.431, 20.462));
        double[][] reported = {{52.2, -104.1}, {165.4, -278.9}, {82.3, 52.2}};
        String[] models = {THINK, NOTHINK, RL};
        for (int i = 0; i < models.length; i++) {
            ModelTi m = find(r, models[i]);
            assertEquals(reported[i][0], m.tiOther(), 1.0, models[i] + " TI_other");
            assertEquals(reported[i][1], m.tiNon(), 1.0, models[i] + " TI_non");
        }
    }

    /** paper.md §1.4 hand check: bases 40/30, gains +10/+2, σ = 4 -> DI 1.111; with DI_math = 1.4, TI = 79.4. */
    @Test
    void twoBenchmarkHandCheck() {
        // one math benchmark with gain 1.96 and σ_math 1 gives DI_math = sqrt(1.96) = 1.4 exactly
        List<ScoreRow> rows = List.of(
                row("B", "", "m1", BenchmarkGroup.MATH, 50), row("B", "", "o1", BenchmarkGroup.OTHER, 40),
                row("B", "", "o2", BenchmarkGroup.OTHER, 30),
                row("M", "B", "m1", BenchmarkGroup.MATH, 51.96), row("M", "B", "o1", BenchmarkGroup.OTHER, 50),
                row("M", "B", "o2", BenchmarkGroup.OTHER, 32));
        ModelTi m = TransferabilityIndex.compute(ScoreTable.of("hand", rows), TiOptions.fixed(1, 4, 4)).models().get(0);
        assertEquals(1.4, m.groups().get(BenchmarkGroup.MATH).di(), 1e-9);
        GroupIndex other = m.groups().get(BenchmarkGroup.OTHER);
        assertEquals(2.5, other.terms().get(0).z(), 1e-12);
        assertEquals(0.5, other.terms().get(1).z(), 1e-12);
        assertEquals(1.581, other.terms().get(0).signedRoot(), 5e-4);
        assertEquals(0.707, other.terms().get(1).signedRoot(), 5e-4);
        assertEquals(0.462, other.terms().get(0).normWeight(), 5e-4);
        assertEquals(0.538, other.terms().get(1).normWeight(), 5e-4);
        assertEquals(1.111, other.di(), 5e-4);
        assertEquals(100 * other.di() / 1.4, m.tiOther(), 1e-9);
        assertEquals(79.4, m.tiOther(), 0.1); // the paper rounds DI to 1.111 first: 111.1/1.4 = 79.36

        assertNull(m.tiNon(), "no non-reasoning benchmark -> no TI_non");
    }

    /** Plain population std, written out here so the pooled mode is checked against an independent computation. */
    static double plainStd(double[] xs) {
        double sum = 0;
        for (double x : xs) sum += x;
        double mean = sum / xs.length;
        double ss = 0;
        for (double x : xs) ss += Math.pow(x - mean, 2);
        return Math.sqrt(ss / xs.length);
    }

    @Test
    void pooledSigmaIsTheStdOfAllGainsOfTheGroupAndEqualsFixedWithThoseSigmas() {
        ScoreTable t = ScoreTable.readCsv(table1());
        TiResult pooled = TransferabilityIndex.compute(t, TiOptions.pooled());
        double[] sig = new double[3];
        for (BenchmarkGroup g : BenchmarkGroup.values()) {
            List<Double> gains = new ArrayList<>();
            for (String m : List.of(THINK, NOTHINK, RL)) {
                for (ScoreRow r : t.scores(m).values()) {
                    if (r.group() == g) gains.add(r.score() - t.scores(BASE).get(r.benchmark()).score());
                }
            }
            assertEquals(12, gains.size());
            sig[g.ordinal()] = plainStd(gains.stream().mapToDouble(Double::doubleValue).toArray());
            assertEquals(sig[g.ordinal()], pooled.pooledOrFixedSigmas().get(g), 1e-12);
            for (ModelTi m : pooled.models()) assertEquals(sig[g.ordinal()], m.groups().get(g).sigma(), 1e-12);
        }
        TiResult fixed = TransferabilityIndex.compute(t, TiOptions.fixed(sig[0], sig[1], sig[2]));
        for (int i = 0; i < 3; i++) {
            assertEquals(fixed.models().get(i).tiOther(), pooled.models().get(i).tiOther(), 1e-9);
            assertEquals(fixed.models().get(i).tiNon(), pooled.models().get(i).tiNon(), 1e-9);
        }
        // pooling over only these 3 models (not the paper's 18) gives other sigmas, so RL's TI moves off 82.0
        assertNotEquals(82.0, find(pooled, RL).tiOther(), 1.0);
    }

    /** Per-model σ uses only a model's own gains, so adding a model leaves it unchanged; pooled σ does not. */
    @Test
    void pooledDependsOnTheOtherModelsPerModelDoesNot() {
        ScoreTable all = ScoreTable.readCsv(table1());
        List<ScoreRow> rlOnly = new ArrayList<>();
        for (String m : List.of(BASE, RL)) rlOnly.addAll(all.scores(m).values());
        ScoreTable alone = ScoreTable.of("rl-only", rlOnly);

        ModelTi perAll = find(TransferabilityIndex.compute(all, TiOptions.perModel()), RL);
        ModelTi perAlone = find(TransferabilityIndex.compute(alone, TiOptions.perModel()), RL);
        assertEquals(perAlone.tiOther(), perAll.tiOther(), 1e-12);
        assertEquals(perAlone.tiNon(), perAll.tiNon(), 1e-12);
        double[] mathGains = {55.7 - 13.0, 38.0 - 9.3, 87.8 - 60.4, 33.8 - 27.9};
        assertEquals(plainStd(mathGains), perAll.groups().get(BenchmarkGroup.MATH).sigma(), 1e-12);

        ModelTi pooledAll = find(TransferabilityIndex.compute(all, TiOptions.pooled()), RL);
        ModelTi pooledAlone = find(TransferabilityIndex.compute(alone, TiOptions.pooled()), RL);
        assertNotEquals(pooledAlone.tiOther(), pooledAll.tiOther(), 0.1);
        // pooled over a single model is the same σ as per-model
        assertEquals(perAlone.tiOther(), pooledAlone.tiOther(), 1e-9);
        assertNotEquals(perAll.tiOther(), pooledAll.tiOther(), 0.1);
    }

    /** paper.md §1.3: with equal counts per group the ddof factor cancels in DI_g/DI_math. */
    @Test
    void ddofCancelsWithEqualCountsButNotWithUnequalCounts() {
        ScoreTable t = ScoreTable.readCsv(table1());
        TiResult d0 = TransferabilityIndex.compute(t, TiOptions.pooled());
        TiResult d1 = TransferabilityIndex.compute(t, TiOptions.pooled().withDdof(1));
        for (int i = 0; i < 3; i++) {
            assertEquals(d0.models().get(i).tiOther(), d1.models().get(i).tiOther(), 1e-9);
            assertEquals(d0.models().get(i).tiNon(), d1.models().get(i).tiNon(), 1e-9);
            assertNotEquals(d0.models().get(i).groups().get(BenchmarkGroup.MATH).di(),
                    d1.models().get(i).groups().get(BenchmarkGroup.MATH).di(), 1e-6);
        }
        // drop one other-reasoning benchmark of the base and every model: 12 math gains vs 9 other gains
        List<ScoreRow> rows = new ArrayList<>();
        for (String m : List.of(BASE, THINK, NOTHINK, RL)) {
            for (ScoreRow r : t.scores(m).values()) if (!r.benchmark().equals("HeadQA")) rows.add(r);
        }
        ScoreTable unequal = ScoreTable.of("unequal", rows);
        double a = TransferabilityIndex.compute(unequal, TiOptions.pooled()).models().get(2).tiOther();
        double b = TransferabilityIndex.compute(unequal, TiOptions.pooled().withDdof(1)).models().get(2).tiOther();
        double expectedRatio = Math.pow((12.0 / 11.0) / (9.0 / 8.0), 0.25);
        assertEquals(expectedRatio, b / a, 1e-9);
    }

    @Test
    void v1IsTheMeanRelativeGainRatio() {
        List<ScoreRow> rows = List.of(
                row("B", "", "m1", BenchmarkGroup.MATH, 50), row("B", "", "m2", BenchmarkGroup.MATH, 20),
                row("B", "", "o1", BenchmarkGroup.OTHER, 40), row("B", "", "n1", BenchmarkGroup.NON, 80),
                row("M", "B", "m1", BenchmarkGroup.MATH, 60), row("M", "B", "m2", BenchmarkGroup.MATH, 26),
                row("M", "B", "o1", BenchmarkGroup.OTHER, 44), row("M", "B", "n1", BenchmarkGroup.NON, 72));
        ModelTi m = TransferabilityIndex.compute(ScoreTable.of("v1", rows), TiOptions.v1()).models().get(0);
        // math: mean(10/50, 6/20) = 0.25; other: 4/40 = 0.1; non: -8/80 = -0.1
        assertEquals(0.25, m.groups().get(BenchmarkGroup.MATH).di(), 1e-12);
        assertEquals(40.0, m.tiOther(), 1e-9);
        assertEquals(-40.0, m.tiNon(), 1e-9);
    }

    @Test
    void negativeTransferGivesNegativeTi() {
        ModelTi think = find(TransferabilityIndex.compute(ScoreTable.readCsv(table1()), TiOptions.pooled()), THINK);
        assertTrue(think.tiNon() < 0, "think-SFT loses on every non-reasoning benchmark");
        assertTrue(think.tiOther() > 0);
    }

    // ---- errors ----

    @Test
    void mathLossIsAnError() {
        List<ScoreRow> rows = List.of(
                row("B", "", "m1", BenchmarkGroup.MATH, 50), row("B", "", "o1", BenchmarkGroup.OTHER, 40),
                row("M", "B", "m1", BenchmarkGroup.MATH, 45), row("M", "B", "o1", BenchmarkGroup.OTHER, 44));
        RiftException e = assertThrows(RiftException.class,
                () -> TransferabilityIndex.compute(ScoreTable.of("t", rows), TiOptions.fixed(1, 1, 1)));
        assertTrue(e.getMessage().contains("model M") && e.getMessage().contains("DI_math"), e.getMessage());
        // no math gain at all is also undefined
        List<ScoreRow> flat = List.of(rows.get(0), rows.get(1),
                row("M", "B", "m1", BenchmarkGroup.MATH, 50), row("M", "B", "o1", BenchmarkGroup.OTHER, 44));
        assertThrows(RiftException.class, () -> TransferabilityIndex.compute(ScoreTable.of("t", flat), TiOptions.fixed(1, 1, 1)));
    }

    @Test
    void zeroSigmaIsAnError() {
        // one model, one benchmark per group: pooled and per-model std are 0
        List<ScoreRow> rows = List.of(
                row("B", "", "m1", BenchmarkGroup.MATH, 50), row("B", "", "o1", BenchmarkGroup.OTHER, 40),
                row("M", "B", "m1", BenchmarkGroup.MATH, 60), row("M", "B", "o1", BenchmarkGroup.OTHER, 44));
        ScoreTable t = ScoreTable.of("t", rows);
        RiftException pooled = assertThrows(RiftException.class, () -> TransferabilityIndex.compute(t, TiOptions.pooled()));
        assertTrue(pooled.getMessage().contains("pooled σ_math is 0"), pooled.getMessage());
        RiftException per = assertThrows(RiftException.class, () -> TransferabilityIndex.compute(t, TiOptions.perModel()));
        assertTrue(per.getMessage().contains("per-model σ_math = 0"), per.getMessage());
        assertThrows(RiftException.class, () -> TiOptions.fixed(16, 0, 20));
        assertThrows(RiftException.class, () -> TransferabilityIndex.compute(t, TiOptions.pooled().withDdof(1)));
    }

    @Test
    void v1WithZeroBaseIsAnError() {
        List<ScoreRow> rows = List.of(
                row("B", "", "m1", BenchmarkGroup.MATH, 0), row("B", "", "o1", BenchmarkGroup.OTHER, 40),
                row("M", "B", "m1", BenchmarkGroup.MATH, 10), row("M", "B", "o1", BenchmarkGroup.OTHER, 44));
        RiftException e = assertThrows(RiftException.class,
                () -> TransferabilityIndex.compute(ScoreTable.of("t", rows), TiOptions.v1()));
        assertTrue(e.getMessage().contains("scores 0 on m1"), e.getMessage());
    }
}
