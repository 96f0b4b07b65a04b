package rift.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.TestPaths;
import rift.kernels.RiftException;

class TokenizerBenchTest {

    @Test
    void countsBytesAndTokensOfGsm8kTexts() {
        Path gsm8k = TestPaths.data("math/gsm8k/train.jsonl");
        List<String> texts = TokenizerBench.readTexts(gsm8k, 200);
        assertEquals(200, texts.size());
        Tokenizer tok = TestTokenizers.qwen3();
        TokenizerBench.Result r = TokenizerBench.run(tok, texts, 0.05);
        long bytes = texts.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
        long tokens = texts.stream().mapToLong(t -> tok.encode(t).length).sum();
        assertEquals(bytes, r.bytes());
        assertEquals(tokens, r.tokens());
        assertTrue(r.passes() >= 1 && r.seconds() >= 0.05);
        assertTrue(r.bytesPerToken() > 2 && r.bytesPerToken() < 6, "English math text is 3-5 bytes per token: " + r);
        assertTrue(r.megabytesPerSecond() > 0);
        assertTrue(Double.isNaN(r.cpuSeconds()) || (r.cpuSeconds() > 0 && r.megabytesPerCpuSecond() > 0), r.toString());
        System.out.println("tokenizer bench (qwen3, 200 gsm8k texts, this machine): " + r);
    }

    @Test
    void rejectsFilesWithoutText(@TempDir Path dir) throws IOException {
        Path numbers = Files.writeString(dir.resolve("n.jsonl"), "{\"a\": 1}\n");
        assertTrue(assertThrows(RiftException.class, () -> TokenizerBench.readTexts(numbers, 0)).getMessage().contains("no string fields"));
        Path broken = Files.writeString(dir.resolve("b.jsonl"), "{\"a\": \"x\"}\nnot json\n");
        assertTrue(assertThrows(RiftException.class, () -> TokenizerBench.readTexts(broken, 0)).getMessage().contains("line 2 is not JSON"));
    }
}
