package rift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import rift.recipe.Recipe;
import rift.recipe.RecipeDocs;

class RecipeCommandTest {
    @TempDir
    Path dir;

    /** Exit code, stdout and stderr of one run of {@code rift recipe ...}. */
    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new RecipeCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String recipe(String name) {
        try {
            return Path.of(RecipeCommandTest.class.getResource("/recipes/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void validatePrintsASummary() {
        Run r = run("validate", "--no-file-check", recipe("grpo_full.yaml"), "schedule.max_steps=6");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("ok: " + recipe("grpo_full.yaml") + " (method grpo, model from config, 2 train files,"
                + " 6 steps, global batch 32, G=16, run_dir runs/grpo_full, hash "), r.out());
    }

    @Test
    void validateChecksThatFilesExist() throws IOException {
        Run missing = run("validate", recipe("grpo_minimal.yaml"));
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("grpo_minimal.yaml:4: model.path: ") && missing.err().contains("config.json does not exist"), missing.err());
        assertTrue(missing.err().contains("grpo_minimal.yaml:6: data.train[0]: "), missing.err());

        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{}");
        Files.writeString(model.resolve("tokenizer.json"), "{}");
        Path train = Files.writeString(dir.resolve("train.jsonl"), "{}\n");
        Run ok = run("validate", recipe("grpo_minimal.yaml"), "model.path=" + model, "data.train=[" + train + "]");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().startsWith("ok: "), ok.out());
    }

    @Test
    void validateReportsRecipeErrorsWithoutAStackTrace() {
        Run r = run("validate", recipe("grpo_minimal.yaml"), "grpo.num_generation=4");
        assertEquals(2, r.code());
        assertEquals("error: command line override 'grpo.num_generation=4': grpo.num_generation: unknown key;"
                + " did you mean grpo.num_generations?\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void validateWarnsAboutTheIgnoredSection() {
        Run r = run("validate", "--no-file-check", recipe("sft_minimal.yaml"), "grpo.beta=0.1");
        assertEquals(0, r.code());
        assertTrue(r.err().startsWith("warning: command line override 'grpo.beta=0.1': grpo.beta is set but method is sft"), r.err());
    }

    @Test
    void showPrintsTheResolvedRecipeWhichLoadsToTheSameHash() throws IOException {
        Run r = run("show", recipe("arms/dr_grpo_small.yaml"), "seed=9");
        assertEquals(0, r.code(), r.err());
        Recipe expected = Recipe.load(Path.of(recipe("arms/dr_grpo_small.yaml")), List.of("seed=9"));
        assertTrue(r.out().contains("seed: 9\n"), r.out());
        assertTrue(r.out().endsWith("# hash: " + expected.hash() + "\n"), r.out());
        Path saved = Files.writeString(dir.resolve("resolved.yaml"), r.out());
        assertEquals(expected.hash(), Recipe.load(saved).hash());
    }

    @Test
    void showReportsErrors() {
        Run r = run("show", recipe("cycle/a.yaml"));
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("extends: cycle"), r.err());
    }

    @Test
    void docsPrintsTheReference() {
        Run r = run("docs");
        assertEquals(0, r.code());
        assertEquals(RecipeDocs.markdown(), r.out());
    }

    /**
     * `rift recipe docs > docs/recipes.md` (the regeneration docs/recipes.md names) once lost everything after
     * the last full buffer: the text went out with print, which an autoflush PrintWriter does not flush, and
     * the JVM exited. Here stdout is buffered the same way and never flushed by the test.
     */
    @Test
    void docsReachesABufferedStdoutWhole() {
        StringWriter sink = new StringWriter();
        CommandLine cl = new CommandLine(new RecipeCommand());
        cl.setOut(new PrintWriter(new java.io.BufferedWriter(sink, 8192), true));
        assertEquals(0, cl.execute("docs"));
        assertEquals(RecipeDocs.markdown(), sink.toString());
    }

    /** `rift recipe validate recipes/quickstart.yaml` once listed ten unknown-key errors; now it names rift experiment. */
    @Test
    void anExperimentFileIsSentToRiftExperiment() {
        for (String sub : List.of("validate", "show")) {
            Run r = run(sub, Path.of("../recipes/quickstart.yaml").toString());
            assertEquals(2, r.code(), sub);
            assertTrue(r.err().startsWith("error: ") && r.err().contains("rift experiment ../recipes/quickstart.yaml")
                    && r.err().lines().count() == 1, sub + ": " + r.err());
        }
        RecipeCommandTest.Run ok = run("validate", "--no-file-check", Path.of("../recipes/sft-gsm8k-tiny.yaml").toString());
        assertEquals(0, ok.code(), ok.err());
        CliRun.Result train = CliRun.run(new TrainCommand(), "../recipes/quickstart.yaml");
        assertTrue(train.error() != null && train.error().getMessage().contains("rift experiment ../recipes/quickstart.yaml"),
                String.valueOf(train.error()));
    }

    @Test
    void missingFileArgumentIsAUsageError() {
        Run r = run("validate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required parameter: 'FILE'"), r.err());
    }
}
