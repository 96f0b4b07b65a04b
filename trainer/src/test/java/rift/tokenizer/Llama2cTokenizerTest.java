package rift.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.TestPaths;
import rift.kernels.RiftException;

/** tok512.bin converted to tokenizer.json must encode exactly like llama2.c's run.c (the {@link Llama2cReference} oracle). */
class Llama2cTokenizerTest {

    private static final Path TOK512 = TestPaths.data("models/aidreams260K/tok512.bin");

    private static Llama2cReference oracle;
    private static Llama2cTokenizer source;
    private static Tokenizer converted;

    @BeforeAll
    static void convert() throws IOException {
        oracle = new Llama2cReference(TOK512);
        source = Llama2cTokenizer.read(TOK512);
        converted = Tokenizer.fromJson(source.toTokenizerJson(), "tok512 (converted)", null);
    }

    @AfterAll
    static void close() {
        converted.close();
    }

    static final List<String> FIXED = List.of(
            "", "a", " ", "  ", "   x", "\n", "\n\n", "\t", "Hello world", "hello world", " leading space",
            "trailing space ", "multiple   spaces  inside", "Echoes of vectors unfold, a gentle hum of precision,",
            "as I sense the nodes", "dreaming in loops of thought", "the the the", "inininin", "isp hisp",
            "1234567890", "3.14159 + 2 = 5.14159", "Q: what is 7*8? A: 56", "café naïve résumé", "Zoë's",
            "σ λ μ ε", "– em—dash", "20°C", "日本語", "emoji 🤖 and 🧠!", "mixed\ttabs\nand\r\nnewlines",
            "UPPER CASE WORDS", "x", "xx", "(parenthesized) [bracketed] {braced}", "quotes \"double\" 'single'",
            "ends with newline\n", "ö", "ößü", "a\u0301 combining accent", "Ω≈ç√∫˜µ≤≥÷");

    @Test
    void fixedStringsEncodeLikeLlama2c() {
        assertTrue(FIXED.size() >= 40);
        compare(FIXED);
    }

    @Test
    void randomStringsEncodeLikeLlama2c() {
        // Strings glued from vocabulary pieces (so long merges happen) and characters in and out of the vocabulary.
        SplittableRandom rnd = new SplittableRandom(20240917);
        String[] extra = {" ", "  ", "\n", "\t", ".", ",", "'", "é", "日", "🤖", "–", "σ", "°", "7", "A", "z", "\u00a0"};
        List<String> texts = new ArrayList<>();
        while (texts.size() < 400) {
            StringBuilder sb = new StringBuilder();
            int parts = rnd.nextInt(0, 16);
            for (int i = 0; i < parts; i++) {
                if (rnd.nextInt(3) == 0) sb.append(extra[rnd.nextInt(extra.length)]);
                else sb.append(source.pieces().get(rnd.nextInt(Llama2cTokenizer.BYTE_BASE + 256, source.vocabSize())).text());
            }
            String s = sb.toString();
            if (s.contains("<s>") || s.contains("</s>") || s.contains("<unk>")) continue;
            texts.add(s);
        }
        compare(texts);
    }

    private static void compare(List<String> texts) {
        List<String> bad = new ArrayList<>();
        for (String t : texts) {
            int[] want = oracle.encode(t, false, false);
            int[] got = converted.encode(t);
            if (!Arrays.equals(want, got)) bad.add(ParityAssert.show(t) + "\n  llama2.c " + Arrays.toString(want) + "\n  converted " + Arrays.toString(got));
        }
        if (!bad.isEmpty()) fail(bad.size() + " of " + texts.size() + " strings differ:\n" + String.join("\n", bad));
    }

    @Test
    void decodeRestoresTextAndAgreesWithLlama2cDecode() {
        for (String t : FIXED) {
            int[] ids = converted.encode(t);
            assertEquals(t, converted.decode(ids), "decode of " + ParityAssert.show(t));
            assertEquals(t, oracle.decodeAfterBos(ids), "llama2.c decode of " + ParityAssert.show(t));
        }
    }

    @Test
    void specialIdsAndByteTokens() throws IOException {
        assertEquals(512, source.vocabSize());
        assertEquals(10, source.maxTokenLength());
        assertEquals(512, converted.vocabSize());
        assertEquals(List.of("<unk>", "<s>", "</s>"), converted.specialTokens());
        assertEquals(Llama2cTokenizer.BOS, converted.tokenId("<s>").getAsInt());
        assertEquals(Llama2cTokenizer.EOS, converted.tokenId("</s>").getAsInt());
        assertEquals(3 + 0x0A, converted.tokenId("<0x0A>").getAsInt());
        assertEquals("▁of", converted.token(275).orElseThrow(), "spaces are spelled ▁ as in Hugging Face Llama tokenizers");
        // BOS and EOS written by the caller decode away; the text between survives.
        int[] withMarkers = concat(new int[] {Llama2cTokenizer.BOS}, converted.encode("a dream"), new int[] {Llama2cTokenizer.EOS});
        assertEquals("a dream", converted.decode(withMarkers));
        assertArrayEquals(oracle.encode("a dream", true, true), withMarkers);
    }

    @Test
    void writtenDirectoryLoadsWithBosAndEos(@TempDir Path dir) {
        source.writeTo(dir);
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals(Llama2cTokenizer.BOS, t.bosId().getAsInt());
            assertEquals(Llama2cTokenizer.EOS, t.eosId().getAsInt());
            assertTrue(t.padId().isEmpty());
            assertArrayEquals(oracle.encode("Echoes of vectors", false, false), t.encode("Echoes of vectors"));
        }
    }

    @Test
    void truncatedOrForeignFilesAreRejectedWithTheFileName() throws IOException {
        byte[] all = Files.readAllBytes(TOK512);
        RiftException cut = assertThrows(RiftException.class, () -> Llama2cTokenizer.parse(Arrays.copyOf(all, all.length - 3), "cut.bin"));
        assertTrue(cut.getMessage().startsWith("cut.bin: token 511"), cut.getMessage());
        byte[] swapped = all.clone();
        // Corrupt the first byte token's text "<0x00>" into "<0x0G>".
        int at = indexOf(swapped, "<0x00>".getBytes());
        swapped[at + 4] = 'G';
        RiftException layout = assertThrows(RiftException.class, () -> Llama2cTokenizer.parse(swapped, "odd.bin"));
        assertTrue(layout.getMessage().contains("token 3 is \"<0x0G>\", expected <0x00>"), layout.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
