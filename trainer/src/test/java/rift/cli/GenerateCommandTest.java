package rift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import rift.kernels.Backends;
import rift.kernels.cuda.EmulatedCuda;

/** rift generate on the shipped testbed base: --device cuda (the emulated CUDA backend) gives the CPU's greedy ids. */
class GenerateCommandTest {
    private static String generate(String... extra) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            String[] args = new String[extra.length + 7];
            System.arraycopy(new String[] {"../checkpoints/testbed-base", "--greedy", "--ids", "--max-new-tokens", "12", "--prompt"}, 0, args, 0, 6);
            args[6] = "what is 3 + 4 ?";
            System.arraycopy(extra, 0, args, 7, extra.length);
            int code = new CommandLine(new GenerateCommand()).execute(args);
            assertEquals(0, code);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8).trim();
    }

    /** The KV cache is sized to the run (prompt + budget), so one token and a run to the end of the context both fit. */
    @Test
    void budgetsFromOneTokenToTheWholeContext() {
        var model = rift.model.ModelIO.load(java.nio.file.Path.of("../checkpoints/testbed-base"), new rift.kernels.cpu.CpuBackend());
        int ctx = model.config.maxPositionEmbeddings(), v = model.config.vocabSize();
        int[] prompt = {1, 5, 9};
        var sampler = rift.rollout.Sampler.GREEDY;
        assertEquals(1, GenerateCommand.generate(model, prompt, sampler, 1, new rift.util.Rng(0), true, v).length);
        int[] all = GenerateCommand.generate(model, prompt, sampler, 1 << 20, new rift.util.Rng(0), true, v);
        assertEquals(ctx - prompt.length + 1, all.length, "every position of the context is fed, and one more token sampled");
    }

    @Test
    void greedyIdsAreTheSameOnTheCudaBackend() throws Exception {
        String why = EmulatedCuda.unavailable();
        Assumptions.assumeTrue(why == null, () -> why);
        String cpu = generate("--device", "cpu");
        assertTrue(cpu.split(" ").length >= 1 && cpu.split(" ").length <= 12, cpu);
        String cuda;
        try (AutoCloseable route = Backends.routeCuda(EmulatedCuda::backend)) {
            cuda = generate("--device", "cuda");
        }
        assertEquals(cpu, cuda);
        assertTrue(cpu.matches("[0-9 ]+"), cpu);
    }
}
