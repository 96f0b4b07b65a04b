package rift.verify;

import java.util.Locale;
import rift.kernels.RiftException;

/** How answers are found: {@code math} (boxed first) or {@code gsm8k} ({@code #### N} first, then the last number). */
public enum VerifyMode {
    MATH,
    GSM8K;

    /** The mode named {@code name} ("math" or "gsm8k", any case); {@code where} names the source for the error. */
    public static VerifyMode parse(String name, String where) {
        if (name == null) return MATH;
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "math" -> MATH;
            case "gsm8k" -> GSM8K;
            default -> throw new RiftException(where + ": unknown mode '" + name + "'; use \"math\" or \"gsm8k\"");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
