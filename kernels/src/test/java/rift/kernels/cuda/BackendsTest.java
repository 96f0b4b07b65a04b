package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import rift.kernels.Backend;
import rift.kernels.Backends;
import rift.kernels.RiftException;
import rift.kernels.cpu.CpuBackend;

/** Backends.create: names, the CPU fallback of auto, and the error for cuda without a GPU. */
class BackendsTest {
    @Test
    void cpuIsCpu() {
        assertInstanceOf(CpuBackend.class, Backends.create("cpu"));
        assertInstanceOf(CpuBackend.class, Backends.create(" CPU "));
    }

    @Test
    void unknownNameIsAUserError() {
        RiftException e = assertThrows(RiftException.class, () -> Backends.create("tpu"));
        assertTrue(e.getMessage().contains("cpu, cuda"), e.getMessage());
    }

    @Test
    void autoFallsBackWithoutAGpu() {
        Backend b = Backends.create("auto");
        try {
            if (Cuda.available()) {
                assertEquals("cuda", b.name());
            } else {
                assertInstanceOf(CpuBackend.class, b);
                assertFalse(Cuda.unavailableReason().isEmpty());
            }
        } finally {
            if (b instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing a test backend
                }
            }
        }
    }

    @Test
    void cudaWithoutAGpuSaysWhatToDo() {
        if (Cuda.available()) return; // covered by the parity tests on a GPU machine
        RiftException e = assertThrows(RiftException.class, () -> Backends.create("cuda"));
        assertTrue(e.getMessage().contains("device: cpu"), e.getMessage());
        assertTrue(e.getMessage().contains(Cuda.unavailableReason()), e.getMessage());
    }
}
