package rift.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rift.TestPaths;

/** Qwen3 (= Qwen2/2.5 BPE) encodings against reference ids from two independent tokenizer implementations. */
class Qwen3ParityTest {

    private record Fixtures(List<String> texts, List<int[]> ids) {}

    private static Fixtures fixtures() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        for (String line : Files.readAllLines(TestPaths.data("tokenizers/qwen3/encode_fixtures.jsonl"))) {
            if (line.isBlank()) continue;
            JsonNode r = mapper.readTree(line);
            texts.add(r.get("text").asText());
            JsonNode a = r.get("ids");
            int[] v = new int[a.size()];
            for (int i = 0; i < v.length; i++) v[i] = a.get(i).asInt();
            ids.add(v);
        }
        return new Fixtures(texts, ids);
    }

    @Test
    void all210EncodeFixturesMatch() throws IOException {
        Fixtures f = fixtures();
        assertEquals(210, f.texts().size(), "fixture count");
        ParityAssert.allEqual("qwen3 encode_fixtures.jsonl", f.texts(), f.ids(), TestTokenizers.qwen3());
    }

    @Test
    void decodeKeepingSpecialsRestoresNfcTextOfAllFixtures() throws IOException {
        Fixtures f = fixtures();
        Tokenizer tok = TestTokenizers.qwen3();
        for (int i = 0; i < f.texts().size(); i++) {
            String nfc = Normalizer.normalize(f.texts().get(i), Normalizer.Form.NFC);
            assertEquals(nfc, tok.decodeKeepingSpecialTokens(f.ids().get(i)), "fixture " + i);
        }
    }

    @Test
    void all43LlamaCppQwen2CasesMatch() throws IOException {
        LlamaCppCases c = LlamaCppCases.read("ggml-vocab-qwen2.gguf");
        assertEquals(43, c.texts().size(), "case count");
        ParityAssert.allEqual("llama.cpp ggml-vocab-qwen2", c.texts(), c.ids(), TestTokenizers.qwen3());
    }
}
