package rift.grpo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DynamicSamplingTest {
    /** Rounds of groups given as reward arrays; records which rounds were asked for. */
    static final class Rounds implements DynamicSampling.GroupSource<double[]> {
        final List<List<double[]>> rounds;
        final List<Integer> asked = new ArrayList<>();

        Rounds(List<List<double[]>> rounds) {
            this.rounds = rounds;
        }

        @Override
        public List<double[]> sample(int round) {
            asked.add(round);
            return round < rounds.size() ? rounds.get(round) : List.of();
        }
    }

    static final double[] A = {1, 0}, B = {0, 0}, C = {1, 1}, D = {0, 1}, E = {1, 0, 1};

    @Test
    void refillsUntilTheTargetAndDropsTheSurplus() {
        // target 3: round 0 = A, B, C -> keeps A (B, C zero std); round 1 = D, C, E, A -> keeps D, E; the last A is
        // surplus. Sampled 7 groups, 3 with zero std (B, C, C).
        Rounds src = new Rounds(List.of(List.of(A, B, C), List.of(D, C, E, A), List.of(A, A, A)));
        var r = DynamicSampling.collect(3, 5, src, g -> g);
        assertEquals(List.of(A, D, E), r.kept());
        assertEquals(2, r.rounds());
        assertEquals(List.of(0, 1), src.asked);
        assertEquals(7, r.sampledGroups());
        assertEquals(3, r.zeroStdGroups());
        assertEquals(3.0 / 7, r.zeroStdFraction(), 0.0);
        assertTrue(r.full());
    }

    @Test
    void boundedTriesTrainOnWhatThereIs() {
        // every round is mostly zero-std: after 2 tries only 2 of 4 groups
        Rounds src = new Rounds(List.of(List.of(B, A, C), List.of(C, D), List.of(E, E, E)));
        var r = DynamicSampling.collect(4, 2, src, g -> g);
        assertEquals(List.of(A, D), r.kept());
        assertEquals(2, r.rounds());
        assertFalse(r.full());
        assertEquals(3.0 / 5, r.zeroStdFraction(), 0.0);
    }

    @Test
    void stopsWhenTheDataRunsOut() {
        Rounds src = new Rounds(List.of(List.of(A)));
        var r = DynamicSampling.collect(2, 10, src, g -> g);
        assertEquals(List.of(A), r.kept());
        assertEquals(2, r.rounds());    // the second round came back empty
        assertFalse(r.full());
    }

    @Test
    void configSwitch() {
        Rounds src = new Rounds(List.of(List.of(A, B, C), List.of(D, E)));
        // off: one round, zero-std groups kept, fraction still reported (2 of 3)
        var off = DynamicSampling.forStep(GrpoLossConfig.builder(8).build(), 3, src, g -> g);
        assertEquals(List.of(A, B, C), off.kept());
        assertEquals(2.0 / 3, off.zeroStdFraction(), 0.0);
        // on: refills from round 1
        var on = DynamicSampling.forStep(GrpoLossConfig.builder(8).dynamicSampling(true).maxSamplingTries(3).build(), 3,
                new Rounds(List.of(List.of(A, B, C), List.of(D, E))), g -> g);
        assertEquals(List.of(A, D, E), on.kept());
        assertThrows(IllegalArgumentException.class, () -> DynamicSampling.collect(0, 1, src, g -> g));
    }
}
