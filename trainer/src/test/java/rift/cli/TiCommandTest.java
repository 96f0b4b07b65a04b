package rift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;

class TiCommandTest {
    static String table1() {
        try {
            return Path.of(TiCommandTest.class.getResource("/rift/eval/ti/unireason_table1.csv").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static CliRun.Result run(String... args) {
        return CliRun.run(new TiCommand(), args);
    }

    static RiftException fails(String... args) {
        CliRun.Result r = run(args);
        assertEquals(2, r.code());
        return assertInstanceOf(RiftException.class, r.error());
    }

    @Test
    void tableWithPaperSigmas() {
        CliRun.Result r = run("--scores", table1(), "--sigma", "fixed", "--fixed-sigmas", "16.122,18.431,20.462");
        assertEquals(0, r.code());
        String rl = r.out().lines().filter(l -> l.startsWith("UniReason-Qwen3-14B-RL ")).findFirst().orElseThrow();
        assertTrue(rl.contains("+82.0") && rl.contains("+52.3") && rl.contains("16.122"), rl);
        assertTrue(r.out().contains("sigma fixed"), r.out());
    }

    @Test
    void jsonHasEveryIntermediate() throws Exception {
        CliRun.Result r = run("--scores", table1(), "--json");
        assertEquals(0, r.code());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals("pooled", root.get("sigma_mode").asText());
        assertEquals(3, root.get("models").size());
        JsonNode rl = root.get("models").get(2);
        assertEquals("UniReason-Qwen3-14B-RL", rl.get("model").asText());
        JsonNode math = rl.get("groups").get("math");
        assertEquals(4, math.get("benchmarks").size());
        assertEquals(42.7, math.get("benchmarks").get(0).get("delta").asDouble(), 1e-9);
        double di = 0;
        for (JsonNode b : math.get("benchmarks")) di += b.get("norm_weight").asDouble() * b.get("signed_root").asDouble();
        assertEquals(di, math.get("di").asDouble(), 1e-12);
        assertEquals(100 * rl.get("groups").get("other").get("di").asDouble() / di, rl.get("ti_other").asDouble(), 1e-9);
        assertEquals(root.get("sigmas").get("math").asDouble(), math.get("sigma").asDouble(), 0);
    }

    @Test
    void perModelAndV1Run() {
        CliRun.Result per = run("--scores", table1(), "--sigma", "per-model");
        assertEquals(0, per.code());
        assertTrue(per.out().contains("per model"));
        CliRun.Result v1 = run("--scores", table1(), "--v1");
        assertEquals(0, v1.code());
        assertTrue(v1.out().contains("RG_math"), v1.out());
    }

    @Test
    void optionErrors() {
        fails("--scores", table1(), "--sigma", "fixed");
        fails("--scores", table1(), "--sigma", "pooled", "--fixed-sigmas", "1,2,3");
        fails("--scores", table1(), "--sigma", "fixed", "--fixed-sigmas", "1,0,3");
        fails("--scores", table1(), "--sigma", "fixed", "--fixed-sigmas", "1,2");
        fails("--scores", table1(), "--sigma", "median");
        fails("--scores", table1(), "--v1", "--sigma", "pooled");
        RiftException missing = fails("--scores", "/no/such/file.csv");
        assertTrue(missing.getMessage().contains("/no/such/file.csv"));
    }
}
