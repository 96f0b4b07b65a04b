package rift.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rift.kernels.Backends;
import rift.kernels.Tensor;
import rift.kernels.cpu.CpuBackend;
import rift.kernels.cuda.Bf16;
import rift.kernels.cuda.EmulatedCuda;
import rift.model.Weights;
import rift.parity.ParityModel;
import rift.recipe.Recipe;

/**
 * bf16 storage (model.dtype bf16 on the CUDA backend, here its emulator): the fp32 master weights start from
 * the initial weights unrounded (an fp32 checkpoint's values, or the seeded init) and the model's bf16 weights
 * are those rounded, so a run in bf16 loses nothing of an fp32 checkpoint before its first update.
 */
class Bf16MastersTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"testbed", "qwen3-hd64"})
    void mastersHoldTheInitialWeightsUnrounded(String model) throws Exception {
        String why = EmulatedCuda.unavailable();
        Assumptions.assumeTrue(why == null, () -> why);
        Path data = tmp.resolve("d.jsonl");
        Files.writeString(data, "{\"prompt\": \"1+1\", \"completion\": \"2\", \"answer\": \"2\"}\n");
        String yaml = "method: sft\nmodel: {" + ParityModel.of(model).fields() + "}\ndata:\n  train: ['" + data + "']\n  format: jsonl\n"
                + "  fields: {prompt: prompt, solution: completion, answer: answer}\n  max_prompt_tokens: 64\n  max_seq_len: 128\noptim: {lr: 1.0e-3}\nschedule: {max_steps: 1, global_batch: 1, micro_batch: 1}\nseed: 5\nrun_dir: '" + tmp.resolve("run") + "'\n";
        Map<String, float[]> cpu = host(new RunContext(recipe(yaml, "cpu"), tmp.resolve("cpu")).master, new CpuBackend());
        Map<String, float[]> master, stored;
        try (AutoCloseable route = Backends.routeCuda(EmulatedCuda::backend)) {
            RunContext ctx = new RunContext(recipe(yaml.replace("model: {", "model: {dtype: bf16, "), "cuda"), tmp.resolve("cuda"));
            assertTrue(ctx.be.lowPrecisionStorage());
            master = host(ctx.master, ctx.be);
            stored = host(ctx.model.weights, ctx.be);
        }
        int unrounded = 0;
        for (var e : cpu.entrySet()) {
            assertArrayEquals(e.getValue(), master.get(e.getKey()), e.getKey() + ": the master weights are the initial weights");
            assertArrayEquals(Bf16.roundAll(e.getValue()), stored.get(e.getKey()), e.getKey() + ": the model's weights are them rounded");
            for (float x : e.getValue()) if (Bf16.round(x) != x) unrounded++;
        }
        assertTrue(unrounded > 1000, "the initial weights carry more than bf16 precision (" + unrounded + " values), so the test can fail");
    }

    private Recipe recipe(String yaml, String device) throws Exception {
        Path f = tmp.resolve(device + ".yaml");
        Files.writeString(f, yaml + "device: " + device + "\n");
        return Recipe.load(f, List.of());
    }

    private static Map<String, float[]> host(Weights w, rift.kernels.Backend be) {
        Map<String, float[]> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Tensor> e : w.named().entrySet()) out.put(e.getKey(), be.download(e.getValue()));
        assertEquals(w.named().size(), out.size());
        return out;
    }
}
