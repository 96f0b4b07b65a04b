package rift.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rift.TestPaths;
import rift.kernels.RiftException;

/** GPT-2's original encoder.json + vocab.bpe, converted to tokenizer.json, against llama.cpp's reference encodings. */
class Gpt2TokenizerJsonTest {

    private static Tokenizer gpt2;

    @BeforeAll
    static void convert() {
        Path dir = TestPaths.data("tokenizers/gpt2");
        String json = Gpt2TokenizerJson.convert(dir.resolve("encoder.json"), dir.resolve("vocab.bpe"));
        gpt2 = Tokenizer.fromJson(json, "gpt2 (converted)", null);
    }

    @AfterAll
    static void close() {
        gpt2.close();
    }

    @Test
    void all44LlamaCppGpt2CasesMatch() throws IOException {
        LlamaCppCases c = LlamaCppCases.read("ggml-vocab-gpt-2.gguf");
        assertEquals(44, c.texts().size(), "case count");
        ParityAssert.allEqual("llama.cpp ggml-vocab-gpt-2", c.texts(), c.ids(), gpt2);
    }

    @Test
    void decodeRestoresEveryCaseExactly() throws IOException {
        LlamaCppCases c = LlamaCppCases.read("ggml-vocab-gpt-2.gguf");
        for (int i = 0; i < c.texts().size(); i++) assertEquals(c.texts().get(i), gpt2.decode(c.ids().get(i)), "case " + i);
    }

    @Test
    void vocabularyAndEndOfTextToken() {
        assertEquals(50257, gpt2.vocabSize());
        assertEquals(50256, gpt2.requireSpecialToken("<|endoftext|>"));
        assertTrue(gpt2.isSpecial(50256));
        assertEquals(198, gpt2.tokenId("Ċ").getAsInt(), "newline in the byte-level alphabet");
        // The special token is matched whole in text and skipped by decode.
        int[] ids = gpt2.encode("Hi<|endoftext|>");
        assertEquals(50256, ids[ids.length - 1]);
        assertEquals("Hi", gpt2.decode(ids));
        assertEquals("Hi<|endoftext|>", gpt2.decodeKeepingSpecialTokens(ids));
    }

    @Test
    void malformedMergeLineNamesFileAndLine() {
        RiftException e = assertThrows(RiftException.class,
                () -> Gpt2TokenizerJson.convert("{\"a\":0,\"b\":1,\"ab\":2,\"<|endoftext|>\":3}", "#version: 0.2\na b\nab\n", "enc.json", "merges.bpe"));
        assertTrue(e.getMessage().contains("merges.bpe line 3"), e.getMessage());
        RiftException missing = assertThrows(RiftException.class,
                () -> Gpt2TokenizerJson.convert("{\"a\":0,\"b\":1,\"<|endoftext|>\":3}", "#version: 0.2\na b\n", "enc.json", "merges.bpe"));
        assertTrue(missing.getMessage().contains("\"ab\" is not in enc.json"), missing.getMessage());
    }

    @Test
    void tinyConvertedVocabularyMergesAsRanked() {
        // Two merges; "ab" ranks first, so "abc" -> [ab, c] and not [a, bc].
        String json = Gpt2TokenizerJson.convert("{\"a\":0,\"b\":1,\"c\":2,\"ab\":3,\"bc\":4,\"<|endoftext|>\":5}",
                "#version: 0.2\na b\nb c\n", "enc.json", "merges.bpe");
        try (Tokenizer t = Tokenizer.fromJson(json, "tiny", null)) {
            assertEquals(java.util.List.of(3, 2), java.util.Arrays.stream(t.encode("abc")).boxed().toList());
        }
    }
}
