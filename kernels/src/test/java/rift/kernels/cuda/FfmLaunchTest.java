package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The FFM launch's argument buffer holds each argument as the kernel reads it (the launch itself needs a GPU). */
class FfmLaunchTest {
    @Test
    void packsEachKindIntoItsOwnEightByteSlot() {
        Kernel k = Kernel.of("k", Kernel.Param.PTR, Kernel.Param.PTR, Kernel.Param.I64, Kernel.Param.I32, Kernel.Param.F32, Kernel.Param.I32);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slots = arena.allocate(8 * 32, 8);
            slots.fill((byte) 0x5a); // stale bytes from an earlier launch must not matter to the kernel's reads
            FfmLaunch.pack(k, new Object[] {0x7f00_1234_5678L, null, -3L, -7, 1.5f, Integer.MAX_VALUE}, slots);
            assertEquals(0x7f00_1234_5678L, slots.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(0L, slots.get(ValueLayout.JAVA_LONG, 8), "a null pointer is address 0");
            assertEquals(-3L, slots.get(ValueLayout.JAVA_LONG, 16));
            assertEquals(-7, slots.get(ValueLayout.JAVA_INT, 24));
            assertEquals(1.5f, slots.get(ValueLayout.JAVA_FLOAT, 32));
            assertEquals(Integer.MAX_VALUE, slots.get(ValueLayout.JAVA_INT, 40));
            // little-endian: an int's bytes are the first four of its slot, as cuLaunchKernel copies sizeof(int) from there
            assertEquals((byte) 0xf9, slots.get(ValueLayout.JAVA_BYTE, 24));
        }
    }

    @Test
    void tooManyArgumentsIsAClearError() {
        Kernel.Param[] ps = new Kernel.Param[33];
        java.util.Arrays.fill(ps, Kernel.Param.I32);
        Object[] args = new Object[33];
        java.util.Arrays.fill(args, 1);
        try (Arena arena = Arena.ofConfined()) {
            var e = assertThrows(IllegalArgumentException.class, () -> FfmLaunch.pack(Kernel.of("wide", ps), args, arena.allocate(8 * 33, 8)));
            assertEquals("wide: more than 32 arguments", e.getMessage());
        }
    }

    @Test
    void everyKernelFitsTheArgumentBuffer() {
        for (Kernel k : Kernels.ALL) assertEquals(true, k.params().size() <= 32, k.name() + " has " + k.params().size() + " parameters");
    }
}
