package rift.kernels;

import rift.kernels.cpu.CpuBackend;

/**
 * Picks a {@link Backend} by name: "cpu"; "cuda" (fp32 storage, the parity mode) or "cuda-bf16"
 * (bf16 storage, fp32 arithmetic); "auto" (CUDA when a GPU is usable, else the CPU with one line on
 * stderr saying so). Nothing CUDA is loaded unless a CUDA name (or auto) is asked for.
 */
public final class Backends {
    private Backends() {}

    private static volatile java.util.function.Function<Boolean, Backend> cudaRoute;

    /**
     * Routes "cuda" and "cuda-bf16" to {@code factory} (its argument: bf16 storage) until the returned
     * handle is closed. The trainer's tests use it to run whole training runs on the CUDA backend over the
     * kernels' CPU emulator (the recipe still says device: cuda); nothing else needs it.
     */
    public static AutoCloseable routeCuda(java.util.function.Function<Boolean, Backend> factory) {
        cudaRoute = java.util.Objects.requireNonNull(factory);
        return () -> cudaRoute = null;
    }

    public static Backend create(String device) {
        String d = device == null ? "auto" : device.trim().toLowerCase(java.util.Locale.ROOT);
        var route = cudaRoute;
        return switch (d) {
            case "cpu" -> new CpuBackend();
            case "cuda", "gpu", "cuda-fp32" -> route != null ? route.apply(false) : Cuda.create(false, device);
            case "cuda-bf16" -> route != null ? route.apply(true) : Cuda.create(true, device);
            case "auto" -> {
                String why = Cuda.unavailable();
                if (why == null) yield Cuda.create(false, device);
                System.err.println("rift: no usable CUDA GPU (" + why + "); using the CPU backend");
                yield new CpuBackend();
            }
            default -> throw new RiftException("unknown device '" + device + "'; use cpu, cuda, cuda-bf16 or auto");
        };
    }

    /** The CUDA side, in its own class so that "cpu" never loads a rift.kernels.cuda class. */
    private static final class Cuda {
        static String unavailable() {
            return rift.kernels.cuda.Cuda.available() ? null : rift.kernels.cuda.Cuda.unavailableReason();
        }

        static Backend create(boolean bf16, String asked) {
            String why = unavailable();
            if (why != null) {
                throw new RiftException("device '" + asked + "' needs a CUDA GPU, but " + why + ". Use device: cpu (--device cpu) "
                        + "to train on the CPU, or run on a machine with an NVIDIA driver (libcuda.so.1) and GPU");
            }
            rift.kernels.cuda.CudaBackend.Options o = bf16 ? rift.kernels.cuda.CudaBackend.Options.bf16()
                    : rift.kernels.cuda.CudaBackend.Options.fp32();
            if ("1".equals(System.getenv("RIFT_CUDA_SYNC"))) o = o.withSyncEachOp(true);
            return new rift.kernels.cuda.CudaBackend(o);
        }
    }
}
