package rift.recipe;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import rift.kernels.RiftException;

/** Test recipes: files under src/test/resources/recipes/, and small ones written inline. */
final class RecipeFixtures {
    private RecipeFixtures() {}

    /** The smallest valid GRPO recipe body, for tests that add one broken key to it. */
    static final String MINIMAL_GRPO = """
            method: grpo
            model:
              path: models/tiny
            data:
              train: [data/train.jsonl]
            optim:
              lr: 1.0e-6
            """;

    static Path resource(String name) {
        try {
            var url = RecipeFixtures.class.getResource("/recipes/" + name);
            if (url == null) throw new IllegalArgumentException("no test recipe " + name);
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path write(Path dir, String name, String yaml) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, yaml);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a recipe that must fail; returns the error message. */
    static String error(Path file, String... overrides) {
        return assertThrows(RiftException.class, () -> Recipe.load(file, List.of(overrides))).getMessage();
    }
}
