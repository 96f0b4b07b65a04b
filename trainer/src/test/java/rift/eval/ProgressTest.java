package rift.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void logsAtMostOncePerIntervalWithAnEta() {
        long[] now = {0};
        List<String> lines = new ArrayList<>();
        Progress p = new Progress("MATH-500", 100, "samples", () -> now[0], lines::add, 5_000_000_000L);
        now[0] = 2_000_000_000L;
        p.advance(10);   // 2 s: under the interval, silent
        assertEquals(0, lines.size());
        now[0] = 10_000_000_000L;
        p.advance(15);   // 25 done in 10 s: 2.5/s, 75 left: 30 s
        assertEquals(List.of("eval MATH-500: 25/100 samples (25.0%), 2.50 samples/s, elapsed 10s, ETA 30s"), lines);
        now[0] = 12_000_000_000L;
        p.advance(5);
        assertEquals(1, lines.size());
        now[0] = 200_000_000_000L;
        p.advance(70);   // done: the final line reports instead
        p.finish();
        assertEquals(2, lines.size());
        assertEquals("eval MATH-500: 100/100 samples done in 3m20s", lines.get(1));
        assertEquals("1h01m", Progress.duration(3_700_000_000_000L));
        assertTrue(new Progress("x", 3, "items", () -> 0, s -> {}, 1).line(5).contains("ETA ?"));
    }

    @Test
    void tokensKeepALongGenerationTalking() {
        long[] now = {0};
        List<String> lines = new ArrayList<>();
        Progress p = new Progress("AIME24", 300, "samples", () -> now[0], lines::add, 5_000_000_000L);
        for (int i = 0; i < 640; i++) {
            now[0] += 10_000_000L;   // 10 ms a token: 6.4 s in all
            p.token();
        }
        assertEquals(1, lines.size());   // no sample finished yet, but the 5 s interval passed
        assertEquals("eval AIME24: 0/300 samples (0.0%), 0.00 samples/s, 100.0 tokens/s, elapsed 5s, ETA ?", lines.getFirst());
    }
}
