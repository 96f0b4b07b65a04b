package rift.model;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.TestPaths;
import rift.cli.Main;
import rift.kernels.cpu.CpuBackend;

/**
 * A real trained model end to end: `rift import llama2c` converts shared/data/models/aidreams260K to the
 * Hugging Face layout, then `rift generate --greedy --ids` must reproduce expected_greedy.json id for id
 * (128 tokens from BOS), and the KV-cache decoder the listed logits of the first 4 positions to 1e-4.
 */
class Aidreams260kTest {
    @TempDir
    Path tmp;

    @Test
    void importedModelReproducesGreedyIdsAndLogits() throws Exception {
        Path src = TestPaths.data("models/aidreams260K");
        Path out = tmp.resolve("aidreams");
        int rc = Main.commandLine().execute("import", "llama2c", src.resolve("aidreams260K.bin").toString(), "--tokenizer",
                src.resolve("tok512.bin").toString(), "--out", out.toString());
        assertEquals(0, rc);
        JsonNode expected = new ObjectMapper().readTree(src.resolve("expected_greedy.json").toFile());

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, "UTF-8"));
        try {
            assertEquals(0, Main.commandLine().execute("generate", out.toString(), "--greedy", "--ids", "--max-new-tokens", "128"));
        } finally {
            System.setOut(old);
        }
        String[] got = buf.toString("UTF-8").trim().split(" ");
        JsonNode ids = expected.get("greedy_ids");
        assertEquals(ids.size() - 1, got.length, "128 generated tokens after the BOS");
        for (int i = 1; i < ids.size(); i++) assertEquals(ids.get(i).asInt(), Integer.parseInt(got[i - 1]), "token " + i);

        Transformer m = ModelIO.load(out, new CpuBackend());
        Decoder dec = new Decoder(m, 1, 8);
        JsonNode logits = expected.get("logits_first_4_positions");
        float[] row = dec.prefill(new int[] {0}, new int[][] {{ids.get(0).asInt()}});
        for (int pos = 0; pos < 4; pos++) {
            double err = 0;
            for (int v = 0; v < m.config.vocabSize(); v++) err = Math.max(err, Math.abs(row[v] - logits.get(pos).get(v).asDouble()));
            assertTrue(err < 1e-4, "position " + pos + ": max logit error " + err);
            if (pos < 3) row = dec.step(new int[] {0}, new int[] {ids.get(pos + 1).asInt()});
        }
    }
}
