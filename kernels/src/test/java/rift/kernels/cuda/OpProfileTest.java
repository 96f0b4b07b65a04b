package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The op profile's totals and rates, and the attention FLOP count it reports. */
class OpProfileTest {
    @Test
    void totalsAndRatesPerOp() {
        OpProfile p = new OpProfile(true);
        p.add("linear", 3e12, 0);
        p.add("linear", 1e12, 0);
        p.add("add", 0, 5e9);
        p.add("sample", 0, 0);
        List<OpProfile.Entry> e = p.entries();
        assertEquals(3, e.size());
        for (OpProfile.Entry x : e) {
            switch (x.op()) {
                case "linear" -> {
                    assertEquals(2, x.calls());
                    assertEquals(4e12, x.flops());
                    OpProfile.Entry timed = new OpProfile.Entry("linear", 10, 2, 4e12, 0);
                    assertEquals("400 TFLOP/s", timed.rate());
                }
                case "add" -> assertEquals("2000 GB/s", new OpProfile.Entry("add", 2.5, 1, 0, x.bytes()).rate());
                case "sample" -> assertEquals("", x.rate());
                default -> throw new AssertionError(x.op());
            }
        }
    }

    @Test
    void attentionFlopsCountTheCausalPairs() {
        // sequences of 2 and 3 tokens: 3 + 6 (query, visible key) pairs; 4 hd hq FLOPs each
        assertEquals(4.0 * 64 * 8 * 9, CudaBackend.attentionFlops(new int[] {0, 2, 5}, 8, 64));
        assertEquals(0.0, CudaBackend.attentionFlops(new int[] {7, 7}, 8, 64));
    }
}
