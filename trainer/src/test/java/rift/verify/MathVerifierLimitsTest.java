package rift.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Pathological inputs end quickly (rejected by a size cap or timed out by the budget), timeouts are
 * counted, and one verifier gives the same verdicts when shared by many threads.
 *
 * <p>Timing is not asserted tightly (the test machine is shared); the guarantees tested are the
 * deterministic ones: the step budget, the caps, and the verdicts.
 */
class MathVerifierLimitsTest {
    private final MathVerifier verifier = new MathVerifier();

    private Verdict boxed(String answer, String reference) {
        return verifier.verify("so $\\boxed{" + answer + "}$", reference);
    }

    @Test
    void giantResponsesAreSearchedFromTheEnd() {
        Verdict v = verifier.verify("x".repeat(5_000_000) + " so \\boxed{5}", "5");
        assertEquals(new Verdict(true, "5", "5", "exact"), v);
    }

    @Test
    void deepOrUnclosedBracesAreRejected() {
        String deep = "{".repeat(200_000) + "1" + "}".repeat(200_000);
        assertEquals("too-long", verifier.verify("\\boxed{" + deep + "}", "1").reason());
        assertEquals("no-answer-found", verifier.verify("\\boxed{".repeat(100_000), "1").reason());
        assertEquals("mismatch", boxed("(".repeat(300) + "1" + ")".repeat(300), "1").reason());
        assertEquals("mismatch", boxed("\\sqrt{".repeat(100) + "2" + "}".repeat(100), "1").reason());
        assertEquals("too-long", boxed("1+".repeat(MathVerifier.MAX_ANSWER_CHARS) + "1", "1").reason());
    }

    @Test
    void hugeNumbersAreCappedNotComputed() {
        String[][] cases = {
            {"2^{2^{2^{2^{2^{100}}}}}", "5"},
            {"100000!", "1"},
            {"(10^{6})!!!!", "1"},
            {"\\binom{10^{9}}{5 \\cdot 10^{8}}", "1"},
            {"x^{1000000}", "x^{1000001}"},
            {"x^{1000}", "x^{1001}"},
            {"1e999999999", "1"},
            {"2^{2^{100}}", "2^{2^{100}}+0"},
            {"4^{1/1000000000}", "2"},
            {"9^9^9^9^9^9^9^9^9^9", "1"},
        };
        for (String[] c : cases) {
            Verdict v = boxed(c[0], c[1]);
            assertFalse(v.correct(), c[0] + " vs " + c[1] + " -> " + v);
            assertEquals("mismatch", v.reason(), c[0]);
        }
        // big but exact numbers still compare exactly
        assertEquals("numeric", boxed("2^{4000}", "4^{2000}").reason());
        assertEquals("mismatch", boxed("2^{4000}+1", "4^{2000}").reason());
        assertEquals("numeric", boxed("0." + "3".repeat(900), "\\frac{1}{3}").reason());
    }

    @Test
    void stepLimitTimesOutDeterministicallyAndIsCounted() {
        MathVerifier tight = new MathVerifier(Duration.ofMinutes(1), 100);
        for (int i = 0; i < 3; i++) {
            Verdict v = tight.verify("\\boxed{(x-1)(x+1)}", "x^2-1");
            assertEquals(new Verdict(false, "(x-1)(x+1)", "(x-1)(x+1)", "timeout"), v);
        }
        assertEquals(new MathVerifier.Stats(3, 0, 3, 0), tight.stats());
        // the same comparison fits the default budget
        assertEquals("symbolic", verifier.verify("\\boxed{(x-1)(x+1)}", "x^2-1").reason());
    }

    @Test
    void wallClockLimitTimesOut() {
        MathVerifier instant = new MathVerifier(Duration.ofNanos(1), Long.MAX_VALUE);
        Verdict v = instant.verify("\\boxed{(x-1)(x+1)(x+2)}", "(x^2-1)(x+2)");
        assertEquals("timeout", v.reason());
        assertFalse(v.correct());
        assertEquals(1, instant.stats().timeouts());
    }

    @Test
    void largeSetsFinishWithinTheBudget() {
        StringBuilder a = new StringBuilder("\\{"), b = new StringBuilder("\\{");
        for (int i = 0; i < 60; i++) a.append(i == 0 ? "" : ",").append("x^").append(i % 9).append("+").append(i).append("y");
        for (int i = 59; i >= 0; i--) b.append(i == 59 ? "" : ",").append("y").append(i).append("+x^{").append(i % 9).append("}");
        Verdict v = verifier.verify("\\boxed{" + a + "\\}}", b + "\\}");
        assertTrue(v.reason().equals("symbolic") || v.reason().equals("timeout"), v.toString());
        // more elements than the collection cap are text: compared as strings only
        String many = "1,".repeat(Answer.MAX_ITEMS + 1) + "1";
        assertEquals("exact", boxed(many, many).reason());
    }

    @Test
    void sharedVerifierIsThreadSafe() throws Exception {
        String[][] cases = {
            {"\\frac{1}{2}", "0.5"}, {"(x-1)(x+1)", "x^2-1"}, {"\\{2,1\\}", "\\{1,2\\}"}, {"(1,2]", "[1,2]"},
            {"3.14", "\\pi"}, {"\\sqrt{8}", "2\\sqrt2"}, {"x>3", "(3,\\infty)"}, {"\\text{Evelyn}", "Evelyn"},
            {"1\\pm\\sqrt{2}", "1+\\sqrt2,1-\\sqrt2"}, {"2k+1", "2k+2"}, {"900000000", "900,\\!000,\\!000"},
            {"\\sin^2x+\\cos^2x", "1"}, {"6-5i", "-5i+6"}, {"(2,1)", "(1,2)"}, {"y=2x+3", "2x+3"},
        };
        List<Verdict> expected = new ArrayList<>();
        for (String[] c : cases) expected.add(new MathVerifier().verify("\\boxed{" + c[0] + "}", c[1]));
        MathVerifier shared = new MathVerifier();
        int threads = 8, rounds = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    List<String> errors = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        for (int k = 0; k < cases.length; k++) {
                            int i = (k + offset + r) % cases.length; // threads visit cases in different orders
                            Verdict v = shared.verify("\\boxed{" + cases[i][0] + "}", cases[i][1]);
                            if (!v.equals(expected.get(i))) errors.add(cases[i][0] + ": " + v + " != " + expected.get(i));
                        }
                    }
                    return errors;
                }));
            }
            for (Future<List<String>> f : futures) assertEquals(List.of(), f.get());
        } finally {
            pool.shutdownNow();
        }
        long correctPerRound = expected.stream().filter(Verdict::correct).count();
        assertEquals(new MathVerifier.Stats((long) threads * rounds * cases.length,
                threads * rounds * correctPerRound, 0, 0), shared.stats());
    }

    /** Random token soup must never throw: every input gets a verdict with a known reason. */
    @Test
    void randomLatexNeverThrows() {
        String[] tokens = {"\\frac", "\\sqrt", "{", "}", "(", ")", "[", "]", "\\{", "\\}", "^", "_", "-", "+", "*", "/",
            "=", "<", "\\le", ",", ".", "!", "|", "1", "2", "0", "9", "x", "y", "e", "i", "\\pi", "\\infty", "\\cdot",
            "\\pm", "\\cup", "\\text{", " cm}", "\\left(", "\\right)", "\\sin", "\\log_", "\\binom", "\\\\", "&",
            "\\begin{pmatrix}", "\\end{pmatrix}", "$", "\\%", "\\!", " ", "#### ", "\\boxed{", "1e5", ".5", "3/4", "10^{"};
        java.util.Set<String> reasons = java.util.Set.of("exact", "numeric", "symbolic", "mismatch", "no-answer-found",
                "no-reference", "too-long", "timeout");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(2024);
        for (int t = 0; t < 3000; t++) {
            StringBuilder a = new StringBuilder(), b = new StringBuilder();
            for (int k = rng.nextInt(1, 14); k > 0; k--) a.append(tokens[rng.nextInt(tokens.length)]);
            for (int k = rng.nextInt(1, 14); k > 0; k--) b.append(tokens[rng.nextInt(tokens.length)]);
            VerifyMode mode = rng.nextBoolean() ? VerifyMode.MATH : VerifyMode.GSM8K;
            String response = "so \\boxed{" + a + "}", reference = b.toString();
            Verdict v;
            try {
                v = verifier.verify(response, reference, mode);
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("verify threw on response=" + response + " reference=" + reference, e);
            }
            assertTrue(reasons.contains(v.reason()), v.toString());
            // in math mode an extracted answer, used as the reference, always equals itself
            String answer = v.extracted();
            if (mode == VerifyMode.MATH && answer != null && !answer.isBlank() && !answer.contains("####")
                    && !answer.contains("box") && !v.reason().equals("no-answer-found")) {
                Verdict self = verifier.verify(response, answer, mode);
                assertTrue(self.correct(), "not equal to itself: " + response + " -> " + self);
            }
        }
    }
}
