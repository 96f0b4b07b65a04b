package rift.recipe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code rift recipe validate} reports beyond loading: files the recipe names that do not
 * exist (loading does not look at the disk, so a recipe can be shown or hashed anywhere), and
 * keys set in the section of the method not in use.
 */
public final class RecipeCheck {
    /** A loaded recipe with its warnings, and what is missing on disk relative to {@code workDir}. */
    public record Report(Recipe recipe, List<String> warnings, List<String> missingFiles) {}

    private RecipeCheck() {}

    public static Report run(Path file, List<String> overrides, Path workDir, boolean checkFiles) {
        RecipeLoader.Loaded loaded = RecipeLoader.load(file, overrides);
        List<String> missing = checkFiles ? missingFiles(loaded.recipe(), loaded.origins(), workDir) : List.of();
        return new Report(loaded.recipe(), loaded.warnings(), missing);
    }

    static List<String> missingFiles(Recipe r, Map<String, Origin> origins, Path workDir) {
        List<String> out = new ArrayList<>();
        ModelConfig m = r.model();
        if (m.path() != null) expect(out, origins, "model.path", locate(workDir, m.path()).resolve("config.json"));
        if (m.tokenizer() != null) {
            String key = origins.containsKey("model.tokenizer") && !origins.get("model.tokenizer").isDefault() ? "model.tokenizer" : "model.path";
            expect(out, origins, key, locate(workDir, m.tokenizer()).resolve("tokenizer.json"));
        }
        for (int i = 0; i < r.data().train().size(); i++) {
            expect(out, origins, "data.train[" + i + "]", locate(workDir, r.data().train().get(i)));
        }
        return out;
    }

    /** data:x names live under the repository's data/ folder; other paths are relative to workDir. */
    private static Path locate(Path workDir, String name) {
        try {
            return name.startsWith(rift.data.DataFiles.PREFIX) ? rift.data.DataFiles.locate(name) : workDir.resolve(name);
        } catch (rift.kernels.RiftException e) {
            return workDir.resolve(name);
        }
    }

    private static void expect(List<String> out, Map<String, Origin> origins, String key, Path file) {
        if (Files.isRegularFile(file)) return;
        Origin o = origins.get(key);
        out.add((o == null ? "" : o.where() + ": ") + key + ": " + file.normalize() + " does not exist"
                + " (paths are relative to the working directory; data:x/y names are under the repository's data/ folder)");
    }
}
