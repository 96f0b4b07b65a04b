package rift.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Extraction, normalization and equivalence rules of {@link MathVerifier}, one group per rule. */
class MathVerifierTest {
    private final MathVerifier verifier = new MathVerifier();

    /** Checks pairs {prediction, reference, expected reason or "mismatch"}; reports every failing pair at once. */
    private void check(String[][] cases) {
        List<String> failures = new ArrayList<>();
        for (String[] c : cases) {
            Verdict v = verifier.verify("Thus the answer is $\\boxed{" + c[0] + "}$.", c[1]);
            boolean wantCorrect = !c[2].equals("mismatch");
            if (v.correct() != wantCorrect || !v.reason().equals(c[2])) {
                failures.add("[" + c[0] + "] vs [" + c[1] + "]: want " + c[2] + ", got " + v);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    // ---- extraction ----

    @Test
    void extractsLastBoxedWithBraceMatching() {
        assertEquals("\\frac{1}{2}", MathVerifier.extractAnswer("first \\boxed{3}, then \\boxed{\\frac{1}{2}}.", VerifyMode.MATH));
        assertEquals("\\{1,2\\}", MathVerifier.extractAnswer("\\boxed{\\{1,2\\}}", VerifyMode.MATH));
        assertEquals("7", MathVerifier.extractAnswer("so $\\fbox{7}$", VerifyMode.MATH));
        assertEquals("5", MathVerifier.extractAnswer("the answer is $\\boxed 5$.", VerifyMode.MATH));
        assertEquals("12", MathVerifier.extractAnswer("\\boxed {12}", VerifyMode.MATH));
        // an unclosed last box falls back to the previous complete one
        assertEquals("4", MathVerifier.extractAnswer("\\boxed{4} and then \\boxed{5", VerifyMode.MATH));
    }

    @Test
    void extractsAnswerPhrasesWhenNothingIsBoxed() {
        assertEquals("\\frac{1}{2}", MathVerifier.extractAnswer(
                "Final Answer: The final answer is $\\frac{1}{2}$. I hope it is correct.", VerifyMode.MATH));
        assertEquals("42", MathVerifier.extractAnswer("Some work.\nThe answer is 42.", VerifyMode.MATH));
        assertEquals("x+1", MathVerifier.extractAnswer("Final Answer: x+1", VerifyMode.MATH));
        assertNull(MathVerifier.extractAnswer("I computed 17 but I am not sure.", VerifyMode.MATH));
    }

    @Test
    void gsm8kModeTakesHashesThenLastNumber() {
        assertEquals("1234", MathVerifier.extractAnswer("48/2 = 24\n#### 1,234", VerifyMode.GSM8K));
        assertEquals("18", MathVerifier.extractAnswer("She makes 9 * 2 = $18 every day.\nA: 18", VerifyMode.GSM8K));
        assertEquals("18", MathVerifier.extractAnswer("The answer is 18 dollars, from 9 eggs.", VerifyMode.GSM8K));
        assertEquals("-3.5", MathVerifier.extractAnswer("so it is -3.5", VerifyMode.GSM8K));
        assertNull(MathVerifier.extractAnswer("no digits here", VerifyMode.GSM8K));
    }

    @Test
    void gsm8kReferencesMayBeSolutions() {
        assertTrue(verifier.verify("#### 72", "Natalia sold 48/2 = <<48/2=24>>24 clips.\n#### 72", VerifyMode.GSM8K).correct());
        assertTrue(verifier.verify("So she has $72.00 left.", "72", VerifyMode.GSM8K).correct());
        assertTrue(verifier.verify("The total is 1,000 dollars.", "#### 1000", VerifyMode.GSM8K).correct());
        assertFalse(verifier.verify("The total is 1,001 dollars.", "#### 1000", VerifyMode.GSM8K).correct());
        assertTrue(verifier.verify("It takes 2+1=3 bolts\nA: 3", "It takes 2/2=1 bolt\nA: 3", VerifyMode.GSM8K).correct());
    }

    @Test
    void mathReferencesMayBeSolutions() {
        assertTrue(verifier.verify("\\boxed{\\frac12}", "We get $x = \\boxed{\\dfrac{1}{2}}$.").correct());
    }

    @Test
    void missingAnswerIsReportedAndCounted() {
        MathVerifier v = new MathVerifier();
        Verdict none = v.verify("I think it is 5", "5");
        assertEquals(new Verdict(false, null, null, "no-answer-found"), none);
        assertEquals("no-answer-found", v.verify("\\boxed{}", "5").reason());
        assertEquals("no-reference", v.verify("\\boxed{5}", "  ").reason());
        assertEquals(2, v.stats().noAnswer());
        assertEquals(3, v.stats().calls());
    }

    // ---- normalization (the Hendrycks strip_string rules) ----

    @Test
    void normalizesLikeStripString() {
        String[][] cases = {
            {"\\left( 3, \\frac{\\pi}{2} \\right)", "(3,\\frac{\\pi}{2})"},
            {"\\dfrac{3}{4}", "\\frac{3}{4}"},
            {"\\tfrac{3}{4}", "\\frac{3}{4}"},
            {"\\frac12", "\\frac{1}{2}"},
            {"\\frac1{x}", "\\frac{1}{x}"},
            {"\\frac 59", "\\frac{5}{9}"},
            {"10\\text{ cm}^2", "10"},
            {"864 \\mbox{ inches}^2", "864"},
            {"10\\;\\text{edges}", "10"},
            {"\\text{Evelyn}", "Evelyn"},
            {"90^\\circ", "90"},
            {"90^{\\circ}", "90"},
            {"\\$18.90", "18.9"},
            {"25\\%", "25"},
            {"1 + 2", "1+2"},
            {".5", "0.5"},
            {"-.25", "-0.25"},
            {"3/4", "\\frac{3}{4}"},
            {"x = 5", "5"},
            {"k=\\frac{1}{2}", "\\frac{1}{2}"},
            {"900,\\!000,\\!000", "900000000"},
            {"10{,}000", "10000"},
            {"3,250", "3250"},
            {"\\frac{12}{5,\\!525}", "\\frac{12}{5525}"},
            {"18.00", "18"},
            {"2.50", "2.5"},
            {"\\sqrt3", "\\sqrt{3}"},
            {"\\pi r^2", "\\pi r^2"},
            {"\\text{(C)}", "C"},
            {"52_{8}", "52_8"},
            {"12 minutes", "12"},
            {"x \\in [-2,7]", "[-2,7]"},
        };
        List<String> failures = new ArrayList<>();
        for (String[] c : cases) {
            String got = MathVerifier.normalize(c[0]);
            if (!got.equals(c[1])) failures.add(c[0] + " -> " + got + " (want " + c[1] + ")");
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void normalizationRulesGiveExactMatches() {
        check(new String[][] {
            {"\\dfrac{1}{9}", "\\frac{1}{9}", "exact"},
            {"100", "100\\text{ square units}", "exact"},
            {"48", "48^\\circ", "exact"},
            {"6", "\\$6", "exact"},
            {"198", "198\\%", "exact"},
            {"900000000", "900,\\!000,\\!000", "exact"},
            {"4:30 \\text{ p.m.}", "\\text{4:30 p.m.}", "exact"},
            {"\\frac{1}{2}", "1/2", "exact"},
            {"C", "\\text{(C)}", "exact"},
            {"x=5", "5", "exact"},
        });
    }

    // ---- numbers ----

    @Test
    void numericEquivalence() {
        check(new String[][] {
            {"0.5", "\\frac{1}{2}", "numeric"},
            {"\\frac{6}{8}", "\\frac34", "numeric"},
            {"2\\frac{1}{2}", "2.5", "numeric"},
            {"\\frac{5}{2}", "2\\frac{1}{2}", "numeric"},
            {"-2\\frac{1}{2}", "-\\frac{5}{2}", "numeric"},
            {"1.5\\times10^{3}", "1500", "numeric"},
            {"1.5e3", "1500", "numeric"},
            {"2.5 \\cdot 10^{-3}", "0.0025", "numeric"},
            {"\\frac{-1}{2}", "-\\frac{1}{2}", "numeric"},
            {"10^{20}", "100000000000000000000", "numeric"},
            {"3.1415927", "\\pi", "numeric"},
            {"0.3333333", "\\frac{1}{3}", "numeric"},
            {"1.0", "1", "exact"},
            {"0.15", ".15", "exact"},
            {"5!", "120", "numeric"},
            {"\\binom{5}{2}", "10", "numeric"},
            {"\\log_2 8", "3", "numeric"},
            {"\\sqrt[3]{-8}", "-2", "numeric"},
            {"|-3|", "3", "numeric"},
            {"\\lfloor 7/2 \\rfloor", "3", "numeric"},
            {"2^10", "1024", "numeric"},
        });
    }

    @Test
    void numericNearMissesAreRejected() {
        check(new String[][] {
            {"3.14", "\\pi", "mismatch"},
            {"0.333", "\\frac{1}{3}", "mismatch"},
            {"1.39", "\\frac{60}{43}", "mismatch"},
            {"10^{20}+1", "10^{20}", "mismatch"},
            {"9999", "10{,}000", "mismatch"},
            {"\\frac{3}{16}", "\\frac{3}{8}", "mismatch"},
            {"1\\frac{1}{9}", "1\\frac{1}{10}", "mismatch"},
            {"-5", "5", "mismatch"},
            {"2^{5000}", "3^{5000}", "mismatch"},
            {"0.25", "25\\%", "mismatch"},
        });
    }

    // ---- expressions ----

    @Test
    void symbolicEquivalence() {
        check(new String[][] {
            {"\\sqrt{8}", "2\\sqrt{2}", "numeric"},
            {"\\frac{1}{\\sqrt3}", "\\frac{\\sqrt{3}}{3}", "numeric"},
            {"\\frac{\\pi}{6}", "30\\pi/180", "numeric"},
            {"6-5i", "-5i+6", "numeric"},
            {"\\frac{1}{1+i}", "\\frac{1-i}{2}", "numeric"},
            {"e^{i\\pi}", "-1", "numeric"},
            {"(x-1)(x+1)", "x^2-1", "symbolic"},
            {"2(k+1)", "2k+2", "symbolic"},
            {"r^2\\pi", "\\pi r^2", "symbolic"},
            {"\\sin^2 x+\\cos^2 x", "1", "symbolic"},
            {"\\frac{x^2-1}{x-1}", "x+1", "symbolic"},
            {"\\frac{11+9a}{20}", "\\frac{11}{20}+\\frac{9a}{20}", "symbolic"},
            {"x^5 - x^4 + x^3 - x^2 + x - 1", "(x-1)(x^4+x^2+1)", "symbolic"},
            {"\\sqrt{x^2}", "x", "symbolic"},
        });
    }

    @Test
    void symbolicNearMissesAreRejected() {
        check(new String[][] {
            {"x^2+1", "x^2-1", "mismatch"},
            {"2k+1", "2k+2", "mismatch"},
            {"\\sqrt{34}+3\\sqrt{10}", "28", "mismatch"},
            {"x^3", "x^2", "mismatch"},
            {"xy", "x+y", "mismatch"},
            {"\\frac{x}{2}", "2x", "mismatch"},
            {"0.333x", "\\frac{x}{3}", "mismatch"},
            {"1+y=2x+3", "y=2x+3", "mismatch"},
        });
    }

    // ---- structures ----

    @Test
    void tuplesIntervalsSetsAndLists() {
        check(new String[][] {
            {"(1, 2)", "(1,2)", "exact"},
            {"\\left(\\frac{3}{2}, -13\\right)", "(1.5,-13)", "numeric"},
            {"(2,1)", "(1,2)", "mismatch"},
            {"(1,2]", "[1,2]", "mismatch"},
            {"(1,2]", "(1,2)", "mismatch"},
            {"(-\\infty, 0]", "(-\\infty,0]", "exact"},
            {"(-\\infty, 0)", "(-\\infty,0]", "mismatch"},
            {"(0,+\\infty)", "(0,\\infty)", "exact"},
            {"\\{2,1\\}", "\\{1,2\\}", "exact"},
            {"\\{1,2\\}", "\\{1,2,3\\}", "mismatch"},
            {"2, 1", "1,2", "exact"},
            {"-2, 1", "1,-2", "exact"},
            {"1,2", "1,2,3", "mismatch"},
            {"1,1,2", "1,2,2", "mismatch"},
            {"x=1, x=2", "2,1", "exact"},
            {"\\{3\\}", "3", "exact"},
            {"(9,36)\\cup(0,9)", "(0,9) \\cup (9,36)", "exact"},
            {"[-2,7]", "x \\in [-2,7]", "exact"},
            {"x > 3", "(3,\\infty)", "numeric"},
            {"-2 \\le x < 7", "[-2,7)", "numeric"},
            {"x\\le 5", "(-\\infty,5]", "numeric"},
            {"x \\ge 5", "(-\\infty,5]", "mismatch"},
            {"x < 5", "(-\\infty,5]", "mismatch"},
            {"1+\\sqrt{19}, 1-\\sqrt{19}", "1 \\pm \\sqrt{19}", "exact"},
            {"\\{1-\\sqrt{5}, -2, 1+\\sqrt5\\}", "\\{1\\pm\\sqrt{5},-2\\}", "exact"},
            {"1+\\sqrt{19}", "1 \\pm \\sqrt{19}", "mismatch"},
            {"\\emptyset", "\\varnothing", "exact"},
        });
    }

    @Test
    void matricesAndEquations() {
        check(new String[][] {
            {"\\begin{pmatrix} -\\frac13 \\\\ 2/3 \\\\ \\frac{5}{3} \\end{pmatrix}",
                "\\begin{pmatrix} -1/3 \\\\ 2/3 \\\\ 5/3 \\end{pmatrix}", "numeric"},
            {"\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}", "\\begin{pmatrix}-1&0\\\\0&-1\\end{pmatrix}", "exact"},
            {"\\begin{pmatrix} 0 & -1 \\\\ -1 & 0 \\end{pmatrix}", "\\begin{pmatrix}-1&0\\\\0&-1\\end{pmatrix}", "mismatch"},
            {"\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\end{pmatrix}", "mismatch"},
            {"-10x+14y-22z-8=0", "5x - 7y + 11z + 4 = 0", "symbolic"},
            {"5x - 7y + 11z = -4", "5x - 7y + 11z + 4 = 0", "symbolic"},
            {"5x - 7y + 11z + 5 = 0", "5x - 7y + 11z + 4 = 0", "mismatch"},
            {"y = 2x + 3", "2x+3", "exact"},
            {"a+b=5", "5", "numeric"},
        });
    }

    @Test
    void textAnswers() {
        check(new String[][] {
            {"\\text{Evelyn}", "Evelyn", "exact"},
            {"\\text{evelyn}", "\\text{Evelyn}", "exact"},
            {"\\text{east}", "\\text{seat}", "mismatch"},
            {"(C)", "\\text{(C)}", "exact"},
            {"B", "\\text{(C)}", "mismatch"},
            {"52_{8}", "52_8", "exact"},
            {"42", "52_8", "mismatch"},
            {"\\text{odd}", "\\text{even}", "mismatch"},
        });
    }
}
