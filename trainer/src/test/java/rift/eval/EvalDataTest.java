package rift.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.kernels.RiftException;

class EvalDataTest {
    @TempDir
    Path dir;

    static void gzip(Path file, String text) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    Benchmark bench(String benchmarkYaml) {
        Suite s = SuiteLoader.parse("benchmarks:\n" + benchmarkYaml, dir.resolve("s.yaml"), dir, null);
        return s.benchmarks().getFirst();
    }

    @Test
    void mapsFieldsFromGzipFilesWhateverTheirName() throws IOException {
        // gzip detected from the bytes: the file is named .jsonl
        gzip(dir.resolve("mc.jsonl"), """
                {"q": "2+2?", "opts": ["3", "4", "5"], "label": 1, "meta": {"src": "x"}}

                {"q": "Capital of France?", "opts": ["Paris", "Rome"], "label": "A", "meta": {"src": "y"}}
                {"q": "Red?", "opts": ["blue", "red"], "label": "red", "meta": {"src": "z"}}
                """);
        Benchmark b = bench("""
                  - id: mc
                    group: other
                    data: mc.jsonl
                    fields: {id: meta.src, choices: opts, gold: label}
                    prompt: "{q} ({meta.src})\\n{choice_list}\\nAnswer:"
                    choice_format: "({letter}) {choice}"
                    scorer: letter_choice
                """);
        List<EvalItem> items = EvalData.load(b);
        assertEquals(List.of("x", "y", "z"), items.stream().map(EvalItem::id).toList());
        assertEquals(List.of(1, 0, 1), items.stream().map(EvalItem::gold).toList());
        assertEquals(List.of(0, 1, 2), items.stream().map(EvalItem::index).toList());
        assertEquals("2+2? (x)\n(A) 3\n(B) 4\n(C) 5\nAnswer:", EvalData.userMessage(b, items.getFirst()));
        assertTrue(items.get(1).where().endsWith("mc.jsonl line 3"), items.get(1).where());   // the blank line still counts
    }

    @Test
    void referencesMayBeListsOrIndexedAndIdsDefaultToLineNumbers() throws IOException {
        Files.writeString(dir.resolve("o.jsonl"), """
                {"question": "Find x.", "final_answer": ["$\\\\frac{1}{2}$"], "alts": ["1/2", 0.5]}
                {"question": "Find y.", "final_answer": ["3"], "alts": ["3"]}
                """);
        Benchmark b = bench("""
                  - id: o
                    group: math
                    data: o.jsonl
                    fields: {reference: "final_answer[0]"}
                    prompt: "Problem: {question}"
                    scorer: boxed_math
                """);
        List<EvalItem> items = EvalData.load(b);
        assertEquals("1", items.getFirst().id());
        assertEquals(List.of("$\\frac{1}{2}$"), items.getFirst().references());
        assertTrue(((BoxedMathScorer) b.scorer()).judge(items.getFirst(), "\\boxed{0.5}").correct());
        Benchmark alts = bench("""
                  - id: o
                    group: non
                    data: o.jsonl
                    fields: {reference: alts}
                    prompt: "{question}"
                    scorer: exact_match
                """);
        assertEquals(List.of("1/2", "0.5"), EvalData.load(alts).getFirst().references());
    }

    @Test
    void badRecordsNameTheFileAndLine() throws IOException {
        Files.writeString(dir.resolve("bad.jsonl"), "{\"question\": \"a\", \"answer\": \"1\"}\n{\"question\": \"b\"}\n");
        Benchmark b = bench("""
                  - id: bad
                    group: math
                    data: bad.jsonl
                    fields: {reference: answer}
                    prompt: "{question}"
                    scorer: boxed_math
                """);
        String msg = assertThrows(RiftException.class, () -> EvalData.load(b)).getMessage();
        assertTrue(msg.contains("bad.jsonl line 2: the record has no answer (fields.reference)") && msg.contains("[question]"), msg);

        Files.writeString(dir.resolve("bad.jsonl"), "{\"question\": \"a\", \"answer\": \"1\"}\n{\"question\": \n");
        msg = assertThrows(RiftException.class, () -> EvalData.load(b)).getMessage();
        assertTrue(msg.contains("bad.jsonl line 2: not valid JSON"), msg);

        Files.writeString(dir.resolve("bad.jsonl"), "{\"q\": \"a\", \"answer\": \"1\"}\n");
        msg = assertThrows(RiftException.class, () -> EvalData.load(b)).getMessage();
        assertTrue(msg.contains("uses {question}") && msg.contains("bad.jsonl"), msg);

        Benchmark missing = bench("""
                  - id: gone
                    group: math
                    data: nothere.jsonl.gz
                    fields: {reference: answer}
                    scorer: boxed_math
                """);
        msg = assertThrows(RiftException.class, () -> EvalData.load(missing)).getMessage();
        assertTrue(msg.contains("benchmark gone") && msg.contains("nothere.jsonl.gz does not exist"), msg);

        Files.writeString(dir.resolve("mc.jsonl"), "{\"q\": \"a\", \"opts\": [\"x\", \"y\"], \"label\": 2}\n");
        Benchmark mc = bench("""
                  - id: mc
                    group: other
                    data: mc.jsonl
                    fields: {choices: opts, gold: label}
                    prompt: "{q}"
                    scorer: loglik_choice
                """);
        msg = assertThrows(RiftException.class, () -> EvalData.load(mc)).getMessage();
        assertTrue(msg.contains("mc.jsonl line 1: gold answer 2 is not an option index 0..1"), msg);
    }

    @Test
    void subsetsAreSeededStableAndNested() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 50; i++) s.append("{\"prompt\": \"p").append(i).append("\", \"key\": ").append(i)
                .append(", \"instruction_id_list\": [], \"kwargs\": []}\n");
        Files.writeString(dir.resolve("many.jsonl"), s);
        Benchmark b = bench("""
                  - id: many
                    group: non
                    data: many.jsonl
                    scorer: ifeval
                """);
        List<EvalItem> all = EvalData.load(b);
        List<Integer> five = EvalData.subset(all, 5, 0, b).stream().map(EvalItem::index).toList();
        List<Integer> ten = EvalData.subset(all, 10, 0, b).stream().map(EvalItem::index).toList();
        assertEquals(five, EvalData.subset(all, 5, 0, b).stream().map(EvalItem::index).toList());
        assertTrue(ten.containsAll(five), five + " within " + ten);
        assertEquals(five.stream().sorted().toList(), five);   // file order
        assertNotEquals(five, EvalData.subset(all, 5, 1, b).stream().map(EvalItem::index).toList());
        assertEquals(50, EvalData.subset(all, 80, 0, b).size());
        assertEquals(50, EvalData.subset(all, null, 0, b).size());
    }
}
