package rift.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleSummaryTest {

    @Test
    void printsOneAlignedRowPerArmAndTheVerdict() {
        String out = ConsoleSummary.format(SyntheticReport.data(true));
        String[] lines = out.split("\n");
        assertEquals(List.of("arm", "kind", "seeds", "math", "other", "non", "TI_other", "TI_non", "token", "KL", "PCA", "d"),
                List.of(lines[0].trim().split("\\s+")));
        assertTrue(lines[2].startsWith("base  base"), lines[2]);
        assertTrue(lines[3].matches("sft +SFT +3 +60\\.0 \\+- 1\\.5 +38\\.0 \\+- 1\\.5 +46\\.0 \\+- 1\\.5 +\\+41\\.0 \\+- 2\\.0"
                + " +-43\\.1 \\+- 1\\.5 +0\\.415 \\+- 0\\.020 +6\\.55 \\+- 0\\.00"), lines[3]);
        assertTrue(lines[4].startsWith("grpo  RL"), lines[4]);
        // every table line is as wide as the header or narrower (trailing blanks stripped), numbers right-aligned
        assertEquals(lines[1].length(), lines[3].length(), "sft row spans the rule");
        assertTrue(out.contains("  TI_non: grpo +14.3 vs sft -43.1 -> agrees with the paper"), out);
        assertTrue(out.endsWith("holds in this data (4 of 4 checks agree).\n"), out);
        for (char c : out.toCharArray()) assertTrue(c < 128, "ASCII only: " + c);
    }

    @Test
    void flippedNumbersFlipTheVerdict() {
        String out = ConsoleSummary.format(SyntheticReport.data(false));
        assertTrue(out.contains("TI_non: grpo -43.1 vs sft +14.3 -> disagrees with the paper"), out);
        assertTrue(out.endsWith("does not hold in this data (0 of 4 checks agree).\n"), out);
    }

    @Test
    void withoutProbesTheProbeColumnsSayNotMeasured() {
        String out = ConsoleSummary.format(SyntheticReport.data(true, true, false, false));
        String sft = out.split("\n")[3];
        assertTrue(sft.matches(".*-43\\.1 \\+- 1\\.5 +n/a +n/a"), sft);
        assertTrue(out.contains("(2 of 2 checks agree)"), out);
    }
}
