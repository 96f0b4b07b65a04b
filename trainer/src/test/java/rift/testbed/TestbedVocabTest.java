package rift.testbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestbedVocabTest {
    static final TestbedVocab VOCAB = TestbedVocab.standard();

    @BeforeAll
    static void offline() {
        // DJL must use its bundled native library and never reach the network.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    /** Every text the testbed emits for item i of every family under a seed. */
    static List<String> texts(long seed, int perFamily) {
        List<String> out = new ArrayList<>();
        for (Family f : Family.values())
            for (int i = 0; i < perFamily; i++) {
                Item it = f.generate(seed, i);
                out.add(it.prompt());
                out.add(it.answer());
                out.add(it.prompt() + f.directAnswer(it));
                if (it.trace() != null) out.add(it.prompt() + it.trace());
            }
        return out;
    }

    @Test
    void sizeAndLayout() {
        assertTrue(VOCAB.size() >= 200 && VOCAB.size() <= 400, "vocabulary size " + VOCAB.size());
        assertEquals(List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<unk>"), VOCAB.tokens().subList(0, 4));
        for (char c = '0'; c <= '9'; c++) assertTrue(VOCAB.id(String.valueOf(c)) > 0, "digit " + c);
        for (String t : VOCAB.tokens()) assertTrue(!t.matches(".*\\d.*") || t.length() == 1, "digits are single tokens: " + t);
    }

    @Test
    void everyTextOfOtherSeedsRoundTripsWithoutUnknowns() {
        for (long seed : new long[] {0, -5, 123456789}) {
            for (String t : texts(seed, 600)) {
                assertEquals(List.of(), VOCAB.unknownPieces(t), t);
                assertEquals(t, VOCAB.decode(VOCAB.encode(t)));
                assertEquals(t, String.join("", TestbedVocab.pieces(t)));
            }
        }
    }

    @Test
    void unknownWordsBecomeUnk() {
        int[] ids = VOCAB.encode("Ann has zebras");
        assertEquals(VOCAB.unkId(), ids[ids.length - 1]);
        assertEquals(List.of(" zebras"), VOCAB.unknownPieces("Ann has zebras"));
    }

    @Test
    void tokenizerJsonLoadsInDjlAndMatchesTheJavaEncoder(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, VOCAB.tokenizerJson());
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.builder().optTokenizerPath(file).optAddSpecialTokens(false)
                .optTruncation(false).optPadding(false).build()) {
            assertEquals(VOCAB.size(), VOCAB.tokens().size());
            for (String t : texts(31, 150)) {
                Encoding enc = tok.encode(t);
                long[] ids = enc.getIds();
                int[] mine = VOCAB.encode(t);
                assertArrayEquals(mine, toInts(ids), t);
                assertEquals(t, tok.decode(ids, true));
            }
            // Chat special tokens are single ids and are dropped when decoding with skipSpecialTokens.
            String chat = "<|im_start|>user\nSort 3, 1.<|im_end|>\n<|im_start|>assistant\n\\boxed{1, 3}<|im_end|><|endoftext|>";
            long[] ids = tok.encode(chat).getIds();
            assertEquals(1, ids[0]);
            assertEquals(VOCAB.id("user"), ids[1]);
            assertEquals(0, ids[ids.length - 1]);
            assertEquals(2, ids[ids.length - 2]);
            assertEquals("user\nSort 3, 1.\nassistant\n\\boxed{1, 3}", tok.decode(ids, true));
            assertEquals(chat, tok.decode(ids, false));
            assertEquals(VOCAB.unkId(), tok.encode("zebra").getIds()[0]);
        }
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = Math.toIntExact(ids[i]);
        return out;
    }

    @Test
    void tokenizerJsonIsDeterministic() {
        assertEquals(VOCAB.tokenizerJson(), VOCAB.tokenizerJson());
        assertTrue(VOCAB.tokenizerJson().contains("\"type\" : \"WordLevel\""));
    }

    @Test
    void tokenLengthsFitTheTinyModel() {
        // Design targets: prompts up to ~120 tokens, direct answers a few tokens, traces up to ~130.
        for (Family f : Family.values()) {
            int maxPrompt = 0, maxAnswer = 0, maxTrace = 0;
            for (int i = 0; i < 2000; i++) {
                Item it = f.generate(77, i);
                maxPrompt = Math.max(maxPrompt, VOCAB.encode(it.prompt()).length);
                maxAnswer = Math.max(maxAnswer, VOCAB.encode(f.directAnswer(it)).length);
                if (it.trace() != null) maxTrace = Math.max(maxTrace, VOCAB.encode(it.trace()).length);
            }
            assertTrue(maxPrompt <= 120, f + " prompt " + maxPrompt);
            assertTrue(maxAnswer <= 30, f + " answer " + maxAnswer);
            assertTrue(maxTrace <= 140, f + " trace " + maxTrace);
        }
    }
}
