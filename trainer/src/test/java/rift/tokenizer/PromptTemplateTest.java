package rift.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;

class PromptTemplateTest {

    @Test
    void fillsFieldsFromARecord() {
        PromptTemplate t = PromptTemplate.parse("Problem: {problem}\nAnswer:", "recipe r.yaml, field prompt");
        assertEquals(Set.of("problem"), t.fields());
        assertEquals("Problem: 2+3?\nAnswer:", t.render(Map.of("problem", "2+3?", "answer", "5"), "line 1"));
    }

    @Test
    void repeatedFieldsNonStringValuesAndEscapedBraces() {
        PromptTemplate t = PromptTemplate.parse("{a}{a} n={n} \\boxed{{}} {{{a}}}", "t");
        assertEquals("xx n=7 \\boxed{} {x}", t.render(Map.of("a", "x", "n", 7), "rec"));
    }

    @Test
    void unknownFieldNamesTheFieldTheTemplateAndTheRecord() {
        PromptTemplate t = PromptTemplate.parse("Q: {question}", "recipe sft.yaml, field prompt");
        RiftException e = assertThrows(RiftException.class, () -> t.render(Map.of("problem", "p", "answer", "a"), "train.jsonl line 3"));
        assertTrue(e.getMessage().contains("{question}"), e.getMessage());
        assertTrue(e.getMessage().contains("recipe sft.yaml, field prompt"), e.getMessage());
        assertTrue(e.getMessage().contains("train.jsonl line 3 has no field \"question\" (it has [answer, problem])"), e.getMessage());
        RiftException early = assertThrows(RiftException.class, () -> t.requireFields(Set.of("problem"), "train.jsonl"));
        assertTrue(early.getMessage().contains("no field \"question\""), early.getMessage());
    }

    @Test
    void nullValueCountsAsMissing() {
        java.util.HashMap<String, Object> rec = new java.util.HashMap<>();
        rec.put("q", null);
        assertThrows(RiftException.class, () -> PromptTemplate.parse("{q}", "t").render(rec, "r"));
    }

    @Test
    void malformedTemplatesAreRejectedWhenParsed() {
        assertTrue(assertThrows(RiftException.class, () -> PromptTemplate.parse("open {brace", "t")).getMessage().contains("never closed"));
        assertTrue(assertThrows(RiftException.class, () -> PromptTemplate.parse("a } b", "t")).getMessage().contains("no opening"));
        assertTrue(assertThrows(RiftException.class, () -> PromptTemplate.parse("\\boxed{}", "t")).getMessage().contains("{{"));
        assertTrue(assertThrows(RiftException.class, () -> PromptTemplate.parse("{two words}", "t")).getMessage().contains("not a field name"));
    }

    @Test
    void templateWithoutFieldsIsItsOwnText() {
        assertEquals("plain", PromptTemplate.parse("plain", "t").render(Map.of(), "r"));
        assertEquals("", PromptTemplate.parse("", "t").render(Map.of(), "r"));
    }
}
