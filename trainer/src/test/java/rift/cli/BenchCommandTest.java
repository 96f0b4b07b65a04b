package rift.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** rift bench's flags parse as their help says (a field initialised to true once made picocli read --no-peer as true). */
class BenchCommandTest {
    private static BenchCommand parse(String... args) {
        BenchCommand c = new BenchCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void decodeSizesApplyToDecodeAndRolloutOnly() {
        BenchCommand c = parse("rollout", "--batch", "64", "--prompt-len", "32", "--new-tokens", "128");
        assertTrue(c.batch == 64 && c.promptLen == 32 && c.newTokens == 128);
        var e = org.junit.jupiter.api.Assertions.assertThrows(rift.kernels.RiftException.class, () -> parse("train", "--batch", "4").run());
        assertTrue(e.getMessage().contains("apply to decode and rollout"), e.getMessage());
        var zero = org.junit.jupiter.api.Assertions.assertThrows(rift.kernels.RiftException.class, () -> parse("decode", "--batch", "0").run());
        assertTrue(zero.getMessage().contains(">= 1"), zero.getMessage());
    }

    @Test
    void thePeerRunsUnlessNoPeerIsGiven() {
        assertTrue(parse("train").peer);
        assertTrue(parse("train", "--peer").peer);
        assertFalse(parse("train", "--no-peer").peer);
    }
}
