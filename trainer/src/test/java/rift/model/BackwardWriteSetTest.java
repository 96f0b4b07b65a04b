package rift.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.kernels.Write;
import rift.kernels.cuda.CudaBackend;
import rift.kernels.cuda.EmulatedCuda;
import rift.util.Rng;

/**
 * The backward writes its scratch gradients with Write.SET (no zeroing first; cuBLAS with beta 0, kernels
 * that do not read the old values). With the CUDA kernels running in the CPU emulator, every parameter
 * gradient of a training step equals, bit for bit, that of the same backend running each Write overload
 * as Backend's default: zero the output, then accumulate.
 */
class BackwardWriteSetTest {
    /** Forwards every op to the delegate, but runs the ops that take a Write as Backend's default (zero, then ADD). */
    private static Backend zeroThenAdd(Backend delegate) {
        InvocationHandler h = (proxy, method, args) -> {
            Class<?>[] p = method.getParameterTypes();
            if (method.isDefault() && p.length > 0 && p[0] == Write.class) return InvocationHandler.invokeDefault(proxy, method, args);
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, h);
    }

    private static Map<String, float[]> gradients(ModelConfig c, Backend be, Weights w) {
        Transformer m = new Transformer(c, w, be);
        Rng rng = new Rng(3);
        List<int[]> seqs = List.of(new int[37], new int[20]);
        for (int[] s : seqs) for (int i = 0; i < s.length; i++) s[i] = rng.nextInt(c.vocabSize());
        TokenBatch batch = TokenBatch.of(seqs);
        int[] targets = batch.nextTokenTargets();
        Transformer.Pass pass = m.forward(batch, targets, true, false);
        MeanNll nll = MeanNll.of(pass.logp(), targets);
        float[] dEntropy = new float[targets.length];
        for (int i = 0; i < dEntropy.length; i++) dEntropy[i] = 0.01f * (i % 3 - 1);
        Weights g = Weights.zerosF32(c, be);
        m.backward(pass, nll.dLogp(), dEntropy, g);
        Map<String, float[]> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Tensor> e : g.named().entrySet()) out.put(e.getKey(), be.download(e.getValue()));
        return out;
    }

    @ParameterizedTest(name = "{0}, bf16 storage: {1}")
    @CsvSource({"QWEN3, false", "QWEN3, true", "QWEN2, true"})
    void gradientsEqualZeroingThenAccumulating(ModelConfig.Arch arch, boolean bf16) {
        String why = EmulatedCuda.unavailable();
        Assumptions.assumeTrue(why == null, () -> why);
        ModelConfig c = ModelConfig.of(arch, 97, 128, 2, 4, 2, 64, 192, 64, false);
        try (CudaBackend be = EmulatedCuda.backend(bf16)) {
            Weights w = Weights.random(c, be, 5);
            Map<String, float[]> set = gradients(c, be, w), zeroed = gradients(c, zeroThenAdd(be), w);
            assertEquals(zeroed.keySet(), set.keySet());
            for (String name : zeroed.keySet()) {
                float[] want = zeroed.get(name), got = set.get(name);
                for (int i = 0; i < want.length; i++) {
                    if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                        throw new AssertionError(name + " differs at " + i + ": zero then add " + want[i] + ", set " + got[i]);
                    }
                }
            }
        }
    }
}
