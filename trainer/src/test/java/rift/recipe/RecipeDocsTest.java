package rift.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.TestPaths;

/** docs/recipes.md is generated from the @Doc annotations and must match them. */
class RecipeDocsTest {
    private static final Path DOCS = TestPaths.repoRoot().resolve("docs/recipes.md");

    @Test
    void docsAreUpToDate() throws IOException {
        String generated = RecipeDocs.markdown();
        if (Boolean.getBoolean("rift.writeDocs")) {
            Files.createDirectories(DOCS.getParent());
            Files.writeString(DOCS, generated);
        }
        String onDisk = Files.exists(DOCS) ? Files.readString(DOCS) : "";
        if (!generated.equals(onDisk)) {
            fail(DOCS + " is stale (the @Doc annotations in rift.recipe changed). Regenerate it with:\n  " + RecipeDocs.REGENERATE);
        }
    }

    @Test
    void everyKeyIsDocumentedWithAValidDefault() {
        for (var e : Schema.allKeys().entrySet()) {
            RecordComponent c = e.getValue();
            Doc d = Schema.doc(c);
            assertFalse(d.value().isBlank(), e.getKey());
            assertTrue(d.required() != !d.dflt().isEmpty(), e.getKey() + ": needs exactly one of dflt and required");
            if (!d.range().isEmpty()) Range.parse(d.range());
            for (String aka : d.aka()) assertFalse(Schema.akaName(aka).isBlank(), e.getKey());
        }
        for (var e : Schema.allKeys().values()) {
            if (e.getType().isEnum()) {
                for (Object constant : e.getType().getEnumConstants()) {
                    assertTrue(Schema.doc((Enum<?>) constant) != null, constant + " has no @Doc");
                }
            }
        }
    }

    @Test
    void everyKeyAppearsInTheDocs() {
        String md = RecipeDocs.markdown();
        for (String key : Schema.allKeys().keySet()) {
            String shown = key.contains("[") ? key.substring(key.lastIndexOf('.') + 1) : key;
            assertTrue(md.contains("`" + shown + "`"), key + " missing from the docs");
        }
    }

    @Test
    void theExampleInTheDocsIsAValidRecipe(@TempDir Path dir) {
        Recipe r = Recipe.load(RecipeFixtures.write(dir, "example.yaml", RecipeDocs.EXAMPLE), List.of());
        assertEquals(Recipe.Method.GRPO, r.method());
        assertEquals("{prompt}\nPlease reason step by step, and put your final answer within \\boxed{}.", r.data().promptTemplate());
    }

    @Test
    void defaultsInTheDocsAreTheDefaultsTheLoaderUses() {
        // a recipe that sets nothing optional resolves to exactly the documented defaults
        Recipe r = Recipe.load(RecipeFixtures.resource("grpo_minimal.yaml"));
        assertEquals(Double.parseDouble(doc(GrpoConfig.class, "epsilonLow").dflt()), r.grpo().epsilonLow());
        assertEquals(Integer.parseInt(doc(GrpoConfig.class, "numGenerations").dflt()), r.grpo().numGenerations());
        assertEquals(Integer.parseInt(doc(ScheduleConfig.class, "globalBatch").dflt()), r.schedule().globalBatch());
    }

    private static Doc doc(Class<?> record, String component) {
        for (RecordComponent c : record.getRecordComponents()) if (c.getName().equals(component)) return Schema.doc(c);
        throw new IllegalArgumentException(component);
    }
}
