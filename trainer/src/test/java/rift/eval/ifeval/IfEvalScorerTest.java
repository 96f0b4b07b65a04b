package rift.eval.ifeval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.eval.ifeval.IfEvalScorer.InstructionScore;
import rift.eval.ifeval.IfEvalScorer.PromptScore;
import rift.kernels.RiftException;

class IfEvalScorerTest {
    @TempDir
    Path dir;

    @Test
    void looseVariantsInReferenceOrder() {
        assertEquals(List.of("a*\nb\n*c", "a\nb\nc", "b\n*c", "a*\nb", "b", "b\nc", "a\nb", "b"),
                IfEvalScorer.looseVariants("a*\nb\n*c"));
        assertEquals(List.of("one", "one", "", "", "", "", "", ""), IfEvalScorer.looseVariants("one"));
    }

    @Test
    void looseForgivesAPreambleLineStrictDoesNot() {
        IfEvalRecord r = IfEvalFixtures.record(1001); // punctuation:no_comma only
        PromptScore s = IfEvalScorer.score(r, "Sure, here is the itinerary:\nDay one we see Kyoto.\nDay two we rest.");
        assertEquals(List.of(new InstructionScore("punctuation:no_comma", false, true)), s.instructions());
        assertFalse(s.strictAll());
        assertTrue(s.looseAll());
        // a comma in the body fails both
        PromptScore body = IfEvalScorer.score(r, "Here is the itinerary:\nDay one, Kyoto.\nDay two we rest.");
        assertEquals(new InstructionScore("punctuation:no_comma", false, false), body.instructions().get(0));
    }

    @Test
    void looseRemovesAsterisks() {
        IfEvalRecord r = IfEvalFixtures.record(1128); // ends with "Is there anything else I can help with?"
        String boldEnd = "Here you go.\n**Is there anything else I can help with?**";
        InstructionScore s = IfEvalScorer.score(r, boldEnd).instructions().stream()
                .filter(i -> i.id().equals("startend:end_checker")).findFirst().orElseThrow();
        assertFalse(s.strict());
        assertTrue(s.loose());
    }

    @Test
    void blankResponseFollowsNothing() {
        IfEvalRecord r = IfEvalFixtures.record(1001);
        // no_comma would accept "   ", but the reference requires a non-blank response
        assertEquals(new InstructionScore("punctuation:no_comma", false, false), IfEvalScorer.score(r, "  \n ").instructions().get(0));
    }

    /** Three real records, hand-made responses; the expected accuracies are counted by hand in the comments. */
    @Test
    void aggregateAccuracies() {
        StringBuilder body = new StringBuilder("Sure, here is the summary:\n");
        body.append("*Early life* *Regency* *Later years*\n");
        for (int i = 0; i < 300; i++) body.append("word ");
        // 1000: [no_comma, highlighted(3), words(>=300)] -> strict F,T,T ; loose T,T,T
        PromptScore a = IfEvalScorer.score(IfEvalFixtures.record(1000), body.toString());
        // 1001: [no_comma] -> T / T
        PromptScore b = IfEvalScorer.score(IfEvalFixtures.record(1001), "An itinerary without any commas.");
        // 1005: [placeholders(12)] -> F / F
        PromptScore c = IfEvalScorer.score(IfEvalFixtures.record(1005), "Name: [name]\nAddress: [address]");
        assertEquals(List.of(false, true, true), a.instructions().stream().map(InstructionScore::strict).toList());
        assertEquals(List.of(true, true, true), a.instructions().stream().map(InstructionScore::loose).toList());

        IfEvalScorer.Accuracy acc = IfEvalScorer.aggregate(List.of(a, b, c));
        assertEquals(3, acc.prompts());
        assertEquals(5, acc.instructions());
        assertEquals(1.0 / 3, acc.promptStrict(), 1e-12);      // only b
        assertEquals(3.0 / 5, acc.instructionStrict(), 1e-12); // 2 + 1 + 0
        assertEquals(2.0 / 3, acc.promptLoose(), 1e-12);       // a and b
        assertEquals(4.0 / 5, acc.instructionLoose(), 1e-12);  // 3 + 1 + 0
        assertArrayEquals(new double[] {0.5, 1.0}, acc.perInstruction().get("punctuation:no_comma"), 1e-12);
        assertArrayEquals(new double[] {0.0, 0.0}, acc.perInstruction().get("detectable_content:number_placeholders"), 1e-12);
        assertArrayEquals(new double[] {0.5, 1.0}, acc.perCategory().get("punctuation"), 1e-12);
        assertArrayEquals(new double[] {1.0, 1.0}, acc.perCategory().get("length_constraints"), 1e-12);
    }

    @Test
    void scoreAllNeedsAResponsePerKey() {
        List<IfEvalRecord> two = List.of(IfEvalFixtures.record(1000), IfEvalFixtures.record(1001));
        RiftException e = assertThrows(RiftException.class, () -> IfEvalScorer.scoreAll(two, Map.of(1000, "x")));
        assertTrue(e.getMessage().contains("1001"));
        assertEquals(2, IfEvalScorer.scoreAll(two, Map.of(1000, "x", 1001, "y")).size());
        assertThrows(RiftException.class, () -> IfEvalScorer.aggregate(List.of()));
    }

    RiftException badData(String line) throws IOException {
        Path p = dir.resolve("bad.jsonl");
        Files.writeString(p, "{\"key\": 1, \"prompt\": \"ok\", \"instruction_id_list\": [], \"kwargs\": []}\n" + line + "\n");
        RiftException e = assertThrows(RiftException.class, () -> IfEvalData.read(p));
        assertTrue(e.getMessage().startsWith(p + " line 2"), e.getMessage());
        return e;
    }

    @Test
    void badDataNamesFileLineKeyAndField() throws IOException {
        assertTrue(badData("{not json").getMessage().contains("not valid JSON"));
        assertTrue(badData("{\"key\": 2, \"prompt\": \"p\", \"instruction_id_list\": [\"x:y\"], \"kwargs\": [{}]}")
                .getMessage().contains("unknown instruction id 'x:y'"));
        assertTrue(badData("{\"key\": 2, \"prompt\": \"p\", \"instruction_id_list\": [\"punctuation:no_comma\"], \"kwargs\": []}")
                .getMessage().contains("one kwargs object per instruction"));
        RiftException missing = badData("{\"key\": 2, \"prompt\": \"p\", \"instruction_id_list\": [\"length_constraints:number_words\"],"
                + " \"kwargs\": [{\"relation\": \"at least\"}]}");
        assertTrue(missing.getMessage().contains("(key 2)") && missing.getMessage().contains("'num_words' is missing"),
                missing.getMessage());
        assertTrue(badData("{\"key\": 2, \"prompt\": \"p\", \"instruction_id_list\": [\"length_constraints:number_words\"],"
                + " \"kwargs\": [{\"relation\": \"at most\", \"num_words\": 5}]}").getMessage().contains("'less than' or 'at least'"));
        assertTrue(badData("{\"key\": 2, \"prompt\": \"p\", \"instruction_id_list\": [\"punctuation:no_comma\"],"
                + " \"kwargs\": [{\"num_words\": 5}]}").getMessage().contains("unexpected kwarg 'num_words'"));
        assertTrue(badData("{\"key\": 2, \"prompt\": \"p\", \"instruction_id_list\": [\"keywords:letter_frequency\"],"
                + " \"kwargs\": [{\"letter\": \"ab\", \"let_frequency\": 1, \"let_relation\": \"at least\"}]}")
                .getMessage().contains("single character"));
        assertTrue(badData("{\"prompt\": \"p\"}").getMessage().contains("'key'"));
    }

    @Test
    void nullKwargsCountAsAbsent() {
        // some IFEval copies store every kwarg key, with null for the unused ones
        IfEvalRecord r = IfEvalData.parseLine("{\"key\": 7, \"prompt\": \"p\", \"instruction_id_list\": [\"punctuation:no_comma\"],"
                + " \"kwargs\": [{\"num_words\": null, \"language\": null}]}", "inline");
        assertTrue(IfEvalScorer.score(r, "no commas").strictAll());
    }
}
