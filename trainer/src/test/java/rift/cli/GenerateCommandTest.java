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
