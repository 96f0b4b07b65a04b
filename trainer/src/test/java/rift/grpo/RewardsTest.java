package rift.grpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;

class RewardsTest {
    static Completion c(String text, int tokens, boolean correct) {
        return new Completion("What is 2+2?", text, tokens, false, "4", correct);
    }

    @Test
    void correctnessBinaryAndSigned() {
        RewardFunction bin = Rewards.correctness(1, 0), signed = Rewards.correctness(1, -1);
        assertEquals(1.0, bin.score(c("\\boxed{4}", 5, true)));
        assertEquals(0.0, bin.score(c("\\boxed{5}", 5, false)));
        assertEquals(1.0, signed.score(c("\\boxed{4}", 5, true)));
        assertEquals(-1.0, signed.score(c("\\boxed{5}", 5, false)));
        assertEquals(new RewardSpec.Correctness(2.0, 1.0, -1.0), RewardSpec.Correctness.of(2.0, "signed"));
        assertEquals(new RewardSpec.Correctness(2.0, 1.0, 0.0), RewardSpec.Correctness.of(2.0, "binary"));
        var e = assertThrows(RiftException.class, () -> RewardSpec.Correctness.of(1.0, "ternary"));
        assertTrue(e.getMessage().contains("binary"), e.getMessage());
    }

    @Test
    void formatIsPaidOnlyOnCorrectAnswersWithExactlyOneBox() {
        RewardFunction f = Rewards.format(1.0, 0.0);
        assertEquals(1.0, f.score(c("so \\boxed{4}.", 5, true)));
        // same text, but the verifier said wrong: no format reward (open-instruct PR #659)
        assertEquals(0.0, f.score(c("so \\boxed{4}.", 5, false)));
        // correct, but two boxes / no box
        assertEquals(0.0, f.score(c("\\boxed{3} no wait \\boxed{4}", 9, true)));
        assertEquals(0.0, f.score(c("the answer is 4", 5, true)));
        // a custom 'unformatted' value only applies to correct answers too
        RewardFunction g = Rewards.format(0.5, -0.25);
        assertEquals(-0.25, g.score(c("4", 1, true)));
        assertEquals(0.0, g.score(c("4", 1, false)));
    }

    @Test
    void boxedCounting() {
        assertEquals(1, Rewards.countBoxed("\\boxed{\\frac{1}{2}}"));
        assertEquals(1, Rewards.countBoxed("\\boxed {x}"));
        assertEquals(2, Rewards.countBoxed("\\boxed{1} and \\boxed{2}"));
        assertEquals(0, Rewards.countBoxed("\\boxed{}"));       // empty
        assertEquals(0, Rewards.countBoxed("\\boxed{ }"));      // blank
        assertEquals(0, Rewards.countBoxed("\\boxed{12"));      // never closed
        assertEquals(0, Rewards.countBoxed("\\boxed 12"));      // no brace form
        assertEquals(1, Rewards.countBoxed("\\boxed{1} \\boxed{2"));
    }

    @Test
    void overlongAtTheBufferEdges() {
        // L_max = 10, buffer 4, factor 0.5: free up to 10 - 4 = 6 tokens
        RewardFunction o = Rewards.overlong(10, 4, 0.5);
        assertEquals(0.0, o.score(c("", 0, true)));
        assertEquals(0.0, o.score(c("", 6, true)));          // n = L - B: last free length
        assertEquals(-0.125, o.score(c("", 7, true)), 1e-15); // (6 - 7)/4 * 0.5
        assertEquals(-0.25, o.score(c("", 8, true)), 1e-15);  // (6 - 8)/4 * 0.5
        assertEquals(-0.5, o.score(c("", 10, true)), 1e-15);  // n = L: (6 - 10)/4 * 0.5 = -pf
        assertEquals(-0.5, o.score(c("", 11, true)), 0.0);    // beyond L: -pf
        // buffer = L: the ramp starts at 0 tokens
        assertEquals(-0.1, Rewards.overlong(10, 10, 1.0).score(c("", 1, true)), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Rewards.overlong(10, 11, 1.0));
    }

    @Test
    void registryBuildsTheWeightedSum() {
        var specs = List.<RewardSpec>of(RewardSpec.Correctness.signed(1.0), new RewardSpec.Format(0.1, 1.0, 0.0),
                new RewardSpec.Overlong(2.0, 4, 1.0));
        WeightedRewards w = RewardRegistry.withBuiltins().build(specs, 10);
        assertEquals(List.of("correctness", "format", "overlong"), w.names());
        // correct, one box, 8 tokens: 1*1 + 0.1*1 + 2*((6-8)/4*1) = 1 + 0.1 - 1 = 0.1
        Completion good = c("\\boxed{4}", 8, true);
        assertArrayEquals(new double[] {1.0, 1.0, -0.5}, w.components(good), 1e-15);
        assertEquals(1.0 + 0.1 - 1.0, w.score(good), 1e-15);
        // wrong, one box, 5 tokens: -1 + 0 + 0 = -1
        assertEquals(-1.0, w.score(c("\\boxed{5}", 5, false)), 0.0);
        assertArrayEquals(new double[] {0.1, -1.0}, w.scores(List.of(good, c("\\boxed{5}", 5, false))), 1e-15);
    }

    @Test
    void registryNamesUnknownRewardsAndAcceptsCustomOnes() {
        var reg = RewardRegistry.withBuiltins();
        var e = assertThrows(RiftException.class, () -> reg.build(List.of(new RewardSpec.Custom("length", 1.0, Map.of())), 10));
        assertTrue(e.getMessage().contains("grpo.rewards[0].name: 'length'"), e.getMessage());
        assertTrue(e.getMessage().contains("correctness, format, overlong"), e.getMessage());
        reg.register("length", (spec, L) -> {
            double per = ((Number) ((RewardSpec.Custom) spec).settings().get("per_token")).doubleValue();
            return comp -> per * comp.tokenCount();
        });
        var w = reg.build(List.of(new RewardSpec.Custom("length", 2.0, Map.of("per_token", -0.01))), 10);
        assertEquals(2.0 * -0.01 * 7, w.score(c("", 7, true)), 1e-15);
    }

    @Test
    void configRejectsFormatWithoutCorrectness() {
        var e = assertThrows(RiftException.class, () -> GrpoLossConfig.builder(16)
                .rewards(List.of(RewardSpec.Format.of(1.0))).build());
        assertTrue(e.getMessage().startsWith("grpo.rewards: lists format without correctness"), e.getMessage());
        var dup = assertThrows(RiftException.class, () -> GrpoLossConfig.builder(16)
                .rewards(List.of(RewardSpec.Correctness.binary(1), RewardSpec.Correctness.signed(1))).build());
        assertTrue(dup.getMessage().contains("listed twice"), dup.getMessage());
        var buf = assertThrows(RiftException.class, () -> GrpoLossConfig.builder(16)
                .rewards(List.of(RewardSpec.Correctness.binary(1), new RewardSpec.Overlong(1, 17, 1))).build());
        assertTrue(buf.getMessage().startsWith("grpo.rewards[1].buffer_len"), buf.getMessage());
    }
}
