package rift.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import rift.kernels.cuda.EmulatedCuda;

/**
 * The GPU branches of rift bench train, decode, rollout and logprob (phase timing, device-side greedy picks, the LM head's bandwidth against a device copy, MFU when the
 * GPU is known, the peer skipped when no torch with CUDA is there) run end to end on the emulated CUDA
 * backend with a micro shape, so the first run on a GPU does not stop on a bug in them. The numbers
 * are the emulator's and mean nothing.
 */
class EmulatedGpuBenchTest {
    @Test
    void everyWorkloadRunsOnTheCudaBackend() {
        String why = EmulatedCuda.unavailable();
        Assumptions.assumeTrue(why == null, () -> why);
        try (var be = EmulatedCuda.backend(true)) {
            // 2 layers, GQA 4/2 at head dim 64 (tensor-core attention in bf16), 2 x 96 tokens
            BenchConfig micro = new BenchConfig("micro", 128, 64, 2, 4, 2, 64, 128, 96, 2);
            BenchRunner r = new BenchRunner(micro, 1, 0, false, "python3", null, be);
            ObjectNode train = r.train();
            assertEquals("cuda-bf16", train.path("device").asText(), train.toString());
            assertTrue(train.path("tokens_per_s").asDouble() > 0 && train.path("ms_backward").asDouble() > 0, train.toString());
            var ops = train.path("ops_ms_synchronised");
            for (String op : new String[] {"linear", "linearBackward", "attention", "attentionBackward", "lmHead", "adamw (multi-tensor)", "sumSquares"})
                assertTrue(ops.path(op).asDouble() > 0, op + " missing from the op profile: " + ops);
            ObjectNode decode = r.decode(2, 8, 8), rollout = r.rollout(2, 8, 8);
            assertTrue(decode.path("tokens_per_s").asDouble() > 0, decode.toString());
            assertTrue(rollout.path("tokens_per_s").asDouble() > 0, rollout.toString());
            for (String op : new String[] {"linear", "attentionDecode", "sample"})
                assertTrue(rollout.path("ops_host_ms").path(op).asDouble() > 0, op + " missing from the rollout's host profile: " + rollout);
            ObjectNode lp = r.logprob();
            assertTrue(lp.path("tokens_per_s").asDouble() > 0, lp.toString());
            assertTrue(lp.path("head_fraction_of_copy").asDouble() > 0, lp.toString());
        }
    }
}
