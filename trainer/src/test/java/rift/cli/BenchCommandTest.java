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
    void thePeerRunsUnlessNoPeerIsGiven() {
        assertTrue(parse("train").peer);
        assertTrue(parse("train", "--peer").peer);
        assertFalse(parse("train", "--no-peer").peer);
    }
}
