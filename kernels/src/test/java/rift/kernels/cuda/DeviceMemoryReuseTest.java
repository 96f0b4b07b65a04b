package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import rift.kernels.Tensor;

/**
 * Tensors nobody refers to any more give their device memory back when the GPU is full: allocating 16
 * times the (emulated) device's capacity in tensors that are dropped at once must succeed, while memory
 * that is still referenced must still run out with the driver's error.
 */
class DeviceMemoryReuseTest {
    private static final long MIB = 1 << 20;

    @Test
    void unreachableTensorsAreReclaimedWhenTheDeviceIsFull() {
        String why = EmuGpu.unavailable();
        Assumptions.assumeTrue(why == null, () -> "no CUDA emulator: " + why);
        try (CudaBackend be = new CudaBackend(new EmuGpu(40 * MIB), CudaBackend.Options.fp32())) {
            for (int i = 0; i < 64; i++) {
                Tensor t = be.zeros(DType.F32, 1024, 2560); // 10 MiB, dropped at once
                assertEquals(1024, t.dim(0));
            }
            Tensor[] kept = new Tensor[4]; // the whole device
            for (int i = 0; i < kept.length; i++) kept[i] = be.zeros(DType.F32, 1024, 2560);
            CudaFailure full = assertThrows(CudaFailure.class, () -> be.zeros(DType.F32, 1024, 2560));
            assertEquals(2, full.code(), full.getMessage());
            assertEquals(4, kept.length);
        }
    }
}
