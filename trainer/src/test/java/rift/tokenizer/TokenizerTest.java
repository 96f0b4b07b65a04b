package rift.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.kernels.RiftException;

class TokenizerTest {

    /** A 6-token byte-level BPE tokenizer.json ("a", "b", "c", "ab", "bc", <|endoftext|>). */
    static String tinyJson() {
        return Gpt2TokenizerJson.convert("{\"a\":0,\"b\":1,\"c\":2,\"ab\":3,\"bc\":4,\"<|endoftext|>\":5}", "#version: 0.2\na b\nb c\n", "enc", "merges");
    }

    @Test
    void qwen3VocabularySpecialTokensAndConfigIds() {
        Tokenizer tok = TestTokenizers.qwen3();
        assertEquals(151669, tok.vocabSize(), "151,643 BPE tokens + 26 added tokens");
        assertEquals(OptionalInt.of(151645), tok.eosId(), "tokenizer_config eos_token <|im_end|>");
        assertEquals(OptionalInt.of(151643), tok.padId(), "tokenizer_config pad_token <|endoftext|>");
        assertTrue(tok.bosId().isEmpty(), "Qwen3 has no BOS");
        assertArrayEquals(new int[] {151645}, tok.stopIds());
        assertEquals(OptionalInt.of(151667), tok.tokenId("<think>"));
        assertFalse(tok.isSpecial(151667), "<think> is added but not special");
        assertTrue(tok.isSpecial(151644));
        assertEquals(OptionalInt.of(1879), tok.tokenId("Ġworld"));
        assertEquals("Ġworld", tok.token(1879).orElseThrow());
        assertTrue(tok.tokenId("not a token at all").isEmpty());
        assertTrue(tok.token(-1).isEmpty() && tok.token(tok.vocabSize()).isEmpty());
        assertEquals(14, tok.specialTokens().size(), "ids 151643-151656 are special; <tool_call> ... </think> are added but not special");
        assertEquals("<|endoftext|>", tok.specialTokens().getFirst());
    }

    @Test
    void loadsFromTheFileAsFromTheDirectory(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), tinyJson());
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|endoftext|>\"}");
        try (Tokenizer byDir = Tokenizer.load(dir); Tokenizer byFile = Tokenizer.load(file)) {
            assertArrayEquals(new int[] {3, 2, 5}, byDir.encode("abc<|endoftext|>"));
            assertArrayEquals(byDir.encode("abc<|endoftext|>"), byFile.encode("abc<|endoftext|>"));
            assertEquals(OptionalInt.of(5), byFile.eosId(), "config found beside the file");
            assertEquals(6, byFile.vocabSize());
            assertEquals(file.toString(), byFile.origin());
        }
    }

    @Test
    void noTruncationNoPaddingNoAddedSpecials() {
        Tokenizer tok = TestTokenizers.qwen3();
        assertArrayEquals(new int[0], tok.encode(""));
        assertArrayEquals(new int[] {9707}, tok.encode("Hello"), "no BOS/EOS added");
        // 3000 words is far past DJL's default 512-token cut: "hello" then " hello" x 2999.
        String long_ = "hello" + " hello".repeat(2999);
        int[] ids = tok.encode(long_);
        assertEquals(3000, ids.length);
        assertEquals(long_, tok.decode(ids));
    }

    @Test
    void decodeSkipsOrKeepsSpecialTokens() {
        Tokenizer tok = TestTokenizers.qwen3();
        int[] ids = tok.encode("<|im_start|>user\nhi<|im_end|>\n<think>\n\n</think>");
        assertEquals("user\nhi\n<think>\n\n</think>", tok.decode(ids), "<think> is not special, so it stays");
        assertEquals("<|im_start|>user\nhi<|im_end|>\n<think>\n\n</think>", tok.decodeKeepingSpecialTokens(ids));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {1, 151669}));
        assertTrue(e.getMessage().contains("151669 at position 1"), e.getMessage());
    }

    @Test
    void requireSpecialTokenNamesWhatIsMissing() {
        RiftException e = assertThrows(RiftException.class, () -> TestTokenizers.qwen3().requireSpecialToken("<think>"));
        assertTrue(e.getMessage().contains("no special token \"<think>\""), e.getMessage());
    }

    @Test
    void djlIsForcedOffline() {
        TestTokenizers.qwen3();
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
    }

    @Test
    void missingTokenizerNamesTheFileAndTheFix(@TempDir Path dir) {
        RiftException inDir = assertThrows(RiftException.class, () -> Tokenizer.load(dir));
        assertTrue(inDir.getMessage().contains("has no tokenizer.json") && inDir.getMessage().contains(dir.toString()), inDir.getMessage());
        RiftException file = assertThrows(RiftException.class, () -> Tokenizer.load(dir.resolve("nope.json")));
        assertTrue(file.getMessage().contains("nope.json does not exist"), file.getMessage());
    }

    @Test
    void corruptTokenizerNamesTheFileAndTheFix(@TempDir Path dir) throws IOException {
        String json = tinyJson();
        Path cut = Files.writeString(dir.resolve("tokenizer.json"), json.substring(0, json.length() / 2));
        RiftException e = assertThrows(RiftException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("not valid JSON")
                && e.getMessage().contains("download the model's tokenizer.json again"), e.getMessage());

        Files.writeString(cut, "{\"vocab\": {}}");
        RiftException noModel = assertThrows(RiftException.class, () -> Tokenizer.load(dir));
        assertTrue(noModel.getMessage().contains("not a Hugging Face tokenizer.json"), noModel.getMessage());

        // Well-formed JSON that the tokenizers library rejects: a merge of tokens that are not in the vocabulary.
        Files.writeString(cut, json.replace("[\"b\",\"c\"]", "[\"x\",\"y\"]"));
        RiftException rejected = assertThrows(RiftException.class, () -> Tokenizer.load(dir));
        assertTrue(rejected.getMessage().contains("rejected " + cut), rejected.getMessage());
    }

    @Test
    void configIdsFromTokenizerConfigAndGenerationConfig(@TempDir Path dir) throws IOException {
        Map<String, Integer> vocab = Map.of("<s>", 1, "</s>", 2, "<|im_end|>", 7, "<|endoftext|>", 8, "<pad>", 9);
        var lookup = (java.util.function.Function<String, OptionalInt>) t -> vocab.containsKey(t) ? OptionalInt.of(vocab.get(t)) : OptionalInt.empty();

        assertTrue(SpecialTokenIds.read(dir, lookup).eos().isEmpty(), "no files, no ids");

        Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\": 1, \"eos_token_id\": [7, 8], \"pad_token_id\": 9}");
        SpecialTokenIds gen = SpecialTokenIds.read(dir, lookup);
        assertEquals(OptionalInt.of(1), gen.bos());
        assertEquals(OptionalInt.of(7), gen.eos());
        assertEquals(OptionalInt.of(9), gen.pad());
        assertArrayEquals(new int[] {7, 8}, gen.stopIds());

        // tokenizer_config names win for the primary ids; EOS ids of both files stop generation.
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"bos_token\": {\"content\": \"<s>\", \"__type\": \"AddedToken\"}, \"eos_token\": \"<|endoftext|>\", \"pad_token\": null}");
        SpecialTokenIds both = SpecialTokenIds.read(dir, lookup);
        assertEquals(OptionalInt.of(1), both.bos());
        assertEquals(OptionalInt.of(8), both.eos());
        assertEquals(OptionalInt.of(9), both.pad(), "null pad_token falls back to generation_config");
        assertArrayEquals(new int[] {8, 7}, both.stopIds());

        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<eos>\"}");
        RiftException unknown = assertThrows(RiftException.class, () -> SpecialTokenIds.read(dir, lookup));
        assertTrue(unknown.getMessage().contains("tokenizer_config.json: field \"eos_token\" names token \"<eos>\""), unknown.getMessage());

        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": ");
        RiftException corrupt = assertThrows(RiftException.class, () -> SpecialTokenIds.read(dir, lookup));
        assertTrue(corrupt.getMessage().contains("tokenizer_config.json is not valid JSON"), corrupt.getMessage());

        Files.writeString(dir.resolve("tokenizer_config.json"), "{}");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": \"7\"}");
        RiftException badId = assertThrows(RiftException.class, () -> SpecialTokenIds.read(dir, lookup));
        assertTrue(badId.getMessage().contains("field \"eos_token_id\" should be a token id"), badId.getMessage());
    }

    @Test
    void encodeIsThreadSafeAndDeterministic() throws Exception {
        Tokenizer tok = TestTokenizers.qwen3();
        String text = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.";
        int[] want = tok.encode(text);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<int[]>>();
            for (int i = 0; i < 64; i++) futures.add(pool.submit(() -> tok.encode(text)));
            for (var f : futures) assertArrayEquals(want, f.get());
        }
    }
}
