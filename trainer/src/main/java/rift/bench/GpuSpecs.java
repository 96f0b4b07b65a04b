package rift.bench;

import java.util.List;
import java.util.Locale;

/**
 * Datasheet peaks of the GPUs rift is measured on, by the name the driver reports: dense bf16 tensor
 * TFLOP/s (MFU's denominator) and HBM TB/s. Only a reference next to rift's own measured copy bandwidth.
 */
record GpuSpecs(String model, double bf16DenseTflops, double hbmTbPerS) {
    // order matters: the first entry whose every word appears in the device name wins
    private static final List<String[]> NAMES = List.of(
            new String[] {"H200"}, new String[] {"H100", "NVL"}, new String[] {"H100", "PCIe"}, new String[] {"H100"},
            new String[] {"A100", "80GB"}, new String[] {"A100"});
    private static final List<GpuSpecs> SPECS = List.of(
            new GpuSpecs("H200 SXM", 989.4, 4.8), new GpuSpecs("H100 NVL", 835.0, 3.9), new GpuSpecs("H100 PCIe", 756.0, 2.0),
            new GpuSpecs("H100 SXM", 989.4, 3.35), new GpuSpecs("A100 80GB", 312.0, 2.0), new GpuSpecs("A100 40GB", 312.0, 1.555));

    /** The specs for a device name such as "NVIDIA H100 80GB HBM3", or null when unknown. */
    static GpuSpecs of(String deviceName) {
        if (deviceName == null) return null;
        String n = deviceName.toUpperCase(Locale.ROOT);
        for (int i = 0; i < NAMES.size(); i++) {
            boolean all = true;
            for (String w : NAMES.get(i)) all &= n.contains(w.toUpperCase(Locale.ROOT));
            if (all) return SPECS.get(i);
        }
        return null;
    }
}
