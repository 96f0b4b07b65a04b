package rift.kernels.cuda;

import java.util.List;

/**
 * The Java side of one CUDA kernel: its extern "C" name and the kinds of its parameters in order.
 * Launch arguments are checked against it (a Long for a pointer or a 64-bit int, an Integer for an
 * int, a Float for a float), and a unit test checks every spec against the signature in the .cu
 * sources, so a wrong argument list fails loudly instead of handing the kernel garbage.
 */
public record Kernel(String name, List<Param> params) {
    /** Parameter kinds: a device pointer, int, long long (i64), float. */
    public enum Param {
        PTR, I32, I64, F32
    }

    public Kernel {
        params = List.copyOf(params);
    }

    static Kernel of(String name, Param... params) {
        return new Kernel(name, List.of(params));
    }

    /** Checks one launch's arguments (null is allowed for a pointer and means a null pointer). */
    void checkArgs(Object[] args) {
        if (args.length != params.size()) {
            throw new IllegalArgumentException(name + " takes " + params.size() + " arguments, got " + args.length);
        }
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            boolean ok = switch (params.get(i)) {
                case PTR -> a == null || a instanceof Long;
                case I64 -> a instanceof Long;
                case I32 -> a instanceof Integer;
                case F32 -> a instanceof Float;
            };
            if (!ok) {
                throw new IllegalArgumentException(name + " argument " + i + " must be " + params.get(i) + ", got "
                        + (a == null ? "null" : a.getClass().getSimpleName() + " " + a));
            }
        }
    }
}
