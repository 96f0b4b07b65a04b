package rift.kernels.cuda;

import jcuda.driver.JCudaDriver;

/**
 * Whether this machine can run the CUDA backend: JCuda's driver binding loads, cuInit succeeds and
 * there is at least one device. Probed once, on first ask; nothing CUDA is touched before that.
 * (cuBLAS and the kernels' fatbin are checked when a backend is created.)
 */
public final class Cuda {
    private static volatile String reason;
    private static volatile boolean probed;

    private Cuda() {}

    public static boolean available() {
        probe();
        return reason == null;
    }

    /** Why {@link #available()} is false ("" when it is true). */
    public static String unavailableReason() {
        probe();
        return reason == null ? "" : reason;
    }

    private static synchronized void probe() {
        if (probed) return;
        try {
            JCudaDriver.setExceptionsEnabled(false);
            int rc = JCudaDriver.cuInit(0);
            if (rc != 0) {
                reason = "cuInit failed: " + CudaDevice.describe(rc) + " (no NVIDIA driver, or no usable GPU)";
            } else {
                int[] count = {0};
                rc = JCudaDriver.cuDeviceGetCount(count);
                if (rc != 0) reason = "cuDeviceGetCount failed: " + CudaDevice.describe(rc);
                else if (count[0] < 1) reason = "the NVIDIA driver reports no CUDA device";
            }
        } catch (Throwable t) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            reason = m.contains("libcuda.so.1: cannot open shared object file")
                    ? "libcuda.so.1 (the NVIDIA driver library) was not found"
                    : "the CUDA driver library (libcuda.so.1) could not be used: " + t.getClass().getSimpleName() + ": " + firstLine(m);
        }
        probed = true;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
