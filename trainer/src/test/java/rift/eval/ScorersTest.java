package rift.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;
import rift.testbed.Family;
import rift.testbed.Item;
import rift.testbed.TestbedFiles;
import rift.tokenizer.PromptTemplate;
import rift.verify.VerifyMode;

/** Each scorer on hand-made responses: one that earns credit and a near miss that does not. */
class ScorersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static EvalItem item(String json, List<String> refs, List<String> choices, int gold) {
        try {
            return new EvalItem(0, "t1", JSON.readTree(json), refs, choices, gold, null, "test.jsonl line 1");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static EvalItem prepared(Scorer s, EvalItem raw) {
        return raw.withPayload(s.prepare(raw));
    }

    static ItemResult result(EvalItem it, Judgement... js) {
        return new ItemResult(it.index(), it.id(), "p", it.references(), List.of(), List.of(), List.of(js), false);
    }

    @Test
    void boxedMathAcceptsEquivalentAnswersAndRejectsANearMiss() {
        BoxedMathScorer s = new BoxedMathScorer(VerifyMode.MATH);
        EvalItem it = item("{}", List.of("\\frac{1}{2}"), null, -1);
        Judgement ok = s.judge(it, "so x = 0.5, i.e. \\boxed{\\dfrac12}");
        assertTrue(ok.correct());
        assertEquals("\\dfrac12", ok.extracted());
        Judgement miss = s.judge(it, "\\boxed{\\frac{1}{3}}");
        assertFalse(miss.correct());
        assertEquals("mismatch", miss.detail().get("reason"));
        Judgement none = s.judge(it, "I think it is one half");
        assertNull(none.extracted());
        assertEquals("acc", s.metric());
        var sub = s.subMetrics(List.of(result(it, ok), result(it, miss), result(it, none), result(it, ok)));
        assertEquals(List.of("acc", "no_answer"), List.copyOf(sub.keySet()));
        assertEquals(50.0, sub.get("acc"), 1e-12);
        assertEquals(25.0, sub.get("no_answer"), 1e-12);
    }

    @Test
    void boxedMathGsm8kModeReadsTheHashesOfTheReference() {
        BoxedMathScorer s = new BoxedMathScorer(VerifyMode.GSM8K);
        EvalItem it = item("{}", List.of("Natalia sold 48/2 = <<48/2=24>>24 clips.\n#### 72"), null, -1);
        assertTrue(s.judge(it, "48 + 24 = 72.\nFinal Answer: \\boxed{72}").correct());
        assertTrue(s.judge(it, "so she sold 72 clips").correct());   // gsm8k mode: the last number
        assertFalse(s.judge(it, "Final Answer: \\boxed{71}").correct());
    }

    @Test
    void letterChoiceTakesTheLastStandaloneLetter() {
        LetterChoiceScorer s = new LetterChoiceScorer(null);
        EvalItem it = prepared(s, item("{}", List.of(), List.of("w", "x", "y", "z"), 2));
        Judgement ok = s.judge(it, "B looks tempting, but the answer is \\boxed{C}");
        assertTrue(ok.correct());
        assertEquals("C", ok.extracted());
        // lower case counts (the output is upper-cased first), letters inside words do not
        assertEquals("A", LetterChoiceScorer.extract("it is a trick", "ABCD"));
        assertNull(LetterChoiceScorer.extract("BACK CAB DAD", "ABCD"));
        Judgement miss = s.judge(it, "C? No: the answer is (D).");
        assertFalse(miss.correct());
        assertEquals("D", miss.extracted());
        // E is not an option of a four-option item
        assertNull(s.judge(it, "E").extracted());
        assertThrows(RiftException.class, () -> s.prepare(item("{}", List.of(), null, 5)));
        assertEquals("acc", s.metric());
    }

    @Test
    void loglikChoiceReportsAccAndAccNormByByteLength() {
        var s = new ChoiceLoglikScorer(ChoiceLoglikScorer.Metric.ACC, PromptTemplate.parse(" {choice}", "test"));
        EvalItem it = prepared(s, item("{}", List.of(), List.of("x", "a much longer option"), 1));
        List<String> conts = s.continuations(it);
        assertEquals(List.of(" x", " a much longer option"), conts);
        // sums -4 and -6: acc picks option 0; per byte -4/2 = -2 and -6/21 = -0.29: acc_norm picks option 1
        Judgement j = s.judge(it, new double[] {-4, -6}, conts);
        assertFalse(j.correct());
        assertEquals(0, j.detail().get("pred"));
        assertEquals(1, j.detail().get("pred_norm"));
        assertEquals(false, j.detail().get("acc"));
        assertEquals(true, j.detail().get("acc_norm"));
        var norm = new ChoiceLoglikScorer(ChoiceLoglikScorer.Metric.ACC_NORM, PromptTemplate.parse(" {choice}", "test"));
        assertTrue(norm.judge(it, new double[] {-4, -6}, conts).correct());
        assertEquals("acc_norm", norm.metric());
        // a tie goes to the first option
        assertEquals(0, s.judge(it, new double[] {-3, -3}, conts).detail().get("pred"));
        var sub = s.subMetrics(List.of(result(it, j)));
        assertEquals(List.of("acc", "acc_norm"), List.copyOf(sub.keySet()));
        assertEquals(0.0, sub.get("acc"));
        assertEquals(100.0, sub.get("acc_norm"));
        var letters = new ChoiceLoglikScorer(ChoiceLoglikScorer.Metric.ACC, PromptTemplate.parse(" {letter}", "test"));
        assertEquals(List.of(" A", " B"), letters.continuations(it));
        assertThrows(RiftException.class, () -> s.prepare(item("{}", List.of(), List.of("only"), 0)));
    }

    @Test
    void exactMatchAndF1FollowSquadNormalisation() {
        assertEquals("cat sat", ExactMatchScorer.normalize("The  Cat, sat!"));
        assertTrue(ExactMatchScorer.exact("The cat.", "cat"));
        assertEquals(0.8, ExactMatchScorer.f1("the cat sat", "cat sat down"), 1e-12);   // P = 1, R = 2/3
        assertEquals(0.0, ExactMatchScorer.f1("dog", "cat"));
        assertEquals(1.0, ExactMatchScorer.f1("the", "a"));   // both normalise to nothing
        var f1 = new ExactMatchScorer(ExactMatchScorer.Metric.F1, true);
        EvalItem it = item("{}", List.of("white", "a white cat"), null, -1);
        Judgement j = f1.judge(it, "  White cat\nbecause the passage says so");
        assertEquals("White cat", j.extracted());
        assertEquals(1.0, j.score(), 1e-12);   // best of: vs "white" F1 2/3, vs "a white cat" (normalised "white cat") 1
        assertEquals(1.0, j.detail().get("em"));
        var em = new ExactMatchScorer(ExactMatchScorer.Metric.EM, true);
        Judgement miss = em.judge(item("{}", List.of("white"), null, -1), "white cat");
        assertFalse(miss.correct());
        assertEquals(2.0 / 3, (double) miss.detail().get("f1"), 1e-12);
        assertEquals(List.of("em", "f1"), List.copyOf(em.subMetrics(List.of(result(it, miss))).keySet()));
    }

    @Test
    void yesNoNeedsExactlyOneOfTheWordsOnTheFirstLine() {
        YesNoScorer s = new YesNoScorer();
        EvalItem yes = prepared(s, item("{}", List.of("yes"), null, -1));
        assertTrue(s.judge(yes, "Yes, the response invents a date.").correct());
        assertTrue(s.judge(yes, "\n Yes\nNo, wait").correct());   // only the first line counts
        Judgement both = s.judge(yes, "Yes or No");
        assertFalse(both.correct());
        assertNull(both.extracted());
        assertFalse(s.judge(yes, "yes").correct());   // case-sensitive, as the reference
        assertFalse(s.judge(yes, "No").correct());
        EvalItem no = prepared(s, item("{}", List.of("No"), null, -1));
        assertTrue(s.judge(no, "No").correct());
        assertThrows(RiftException.class, () -> s.prepare(item("{}", List.of("maybe"), null, -1)));
        var sub = s.subMetrics(List.of(result(yes, both), result(no, s.judge(no, "No"))));
        assertEquals(50.0, sub.get("acc"));
        assertEquals(50.0, sub.get("invalid"));
    }

    @Test
    void ifevalReportsStrictInstructionLevelAndTheOtherThree() {
        IfEvalBenchScorer s = new IfEvalBenchScorer(IfEvalBenchScorer.Metric.INSTRUCTION_STRICT);
        String rec = "{\"key\": 7, \"prompt\": \"Write two words.\", \"instruction_id_list\": [\"punctuation:no_comma\","
                + " \"change_case:english_lowercase\"], \"kwargs\": [{}, {}]}";
        EvalItem it = prepared(s, item(rec, List.of(), null, -1));
        Judgement both = s.judge(it, "hello world");
        assertEquals(2, both.score());
        assertEquals(2, both.weight());
        Judgement one = s.judge(it, "hello, world");   // a comma: one of two instructions broken
        assertEquals(1, one.score());
        assertFalse(one.correct());
        Judgement looseOnly = s.judge(it, "*Hello* world\nhello world");   // strict fails lower case; loose drops the first line
        var sub = s.subMetrics(List.of(result(it, both), result(it, one), result(it, looseOnly)));
        assertEquals(List.of("instruction_strict", "instruction_loose", "prompt_strict", "prompt_loose"), List.copyOf(sub.keySet()));
        assertEquals(100.0 * 4 / 6, sub.get("instruction_strict"), 1e-9);
        assertEquals(100.0 * 5 / 6, sub.get("instruction_loose"), 1e-9);
        assertEquals(100.0 / 3, sub.get("prompt_strict"), 1e-9);
        assertEquals(200.0 / 3, sub.get("prompt_loose"), 1e-9);
        var prompt = new IfEvalBenchScorer(IfEvalBenchScorer.Metric.PROMPT_STRICT);
        assertEquals(0, prompt.judge(it, "hello, world").score());
        assertEquals(1, prompt.judge(it, "hello, world").weight());
        assertThrows(RiftException.class, () -> s.prepare(item("{\"key\": 1}", List.of(), null, -1)));
    }

    @Test
    void testbedScorerUsesTheFamilyChecker() {
        TestbedScorer s = new TestbedScorer();
        for (Family f : List.of(Family.SORT, Family.MATH, Family.JUDGE)) {
            Item gen = f.generate(11, 3);
            JsonNode rec = TestbedFiles.evalRecord(gen);
            EvalItem it = prepared(s, new EvalItem(0, gen.id(), rec, List.of(), null, -1, null, "eval/" + f.key() + ".jsonl.gz record 1"));
            assertTrue(s.judge(it, "Let me think.\n" + f.directAnswer(gen)).correct(), f.key());
            Item other = f.generate(11, 3 + f.variants().size());   // same variant, other numbers
            if (!other.answer().equals(gen.answer())) assertFalse(s.judge(it, f.directAnswer(other)).correct(), f.key());
        }
        JsonNode broken = TestbedFiles.evalRecord(Family.SORT.generate(11, 0)).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken).put("answer", "not the answer");
        assertThrows(RiftException.class, () -> s.prepare(new EvalItem(0, "x", broken, List.of(), null, -1, null, "f line 1")));
        assertEquals(Map.of("acc", 0.0).keySet(), s.subMetrics(List.of(result(item("{}", List.of(), null, -1),
                Judgement.of(null, false, Map.of())))).keySet());
    }
}
