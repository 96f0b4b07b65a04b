package rift.grpo;

import java.util.Arrays;
import java.util.stream.Collectors;
import rift.kernels.RiftException;

/** An option whose recipe spelling ({@link #key()}) differs from its Java constant name. */
public interface Keyed {
    /** The value as a recipe writes it, e.g. {@code seq-mean-token-mean}. */
    String key();

    /** The constant whose key is {@code value}; a RiftException naming {@code field} and the allowed values otherwise. */
    static <E extends Enum<E> & Keyed> E parse(Class<E> type, String field, String value) {
        for (E e : type.getEnumConstants()) if (e.key().equals(value)) return e;
        String allowed = Arrays.stream(type.getEnumConstants()).map(Keyed::key).collect(Collectors.joining(", "));
        throw new RiftException(field + ": '" + value + "' is not allowed; allowed values: " + allowed);
    }
}
