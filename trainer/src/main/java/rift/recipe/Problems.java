package rift.recipe;

import java.util.ArrayList;
import java.util.List;
import rift.kernels.RiftException;

/**
 * The errors found in a recipe. The loader collects every problem of a stage (reading, binding,
 * checking) before it stops, so one run of {@code rift recipe validate} shows them all.
 */
final class Problems {
    /** One error: where it was written, the dotted key, and a message that ends with the fix. */
    record Problem(Origin origin, String key, String message) {
        String format() {
            return origin.where() + ": " + (key.isEmpty() ? "" : key + ": ") + message;
        }
    }

    private final String recipeFile;
    private final List<Problem> list = new ArrayList<>();

    Problems(String recipeFile) {
        this.recipeFile = recipeFile;
    }

    void add(Origin origin, String key, String message) {
        list.add(new Problem(origin, key, message));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<Problem> list() {
        return List.copyOf(list);
    }

    /** Throws one RiftException listing every problem so far, if there is any. */
    void throwIfAny() {
        if (list.isEmpty()) return;
        if (list.size() == 1) throw new RiftException(list.getFirst().format());
        StringBuilder sb = new StringBuilder(list.size() + " problems in recipe " + recipeFile + ":");
        for (Problem p : list) sb.append("\n  ").append(p.format());
        throw new RiftException(sb.toString());
    }
}
