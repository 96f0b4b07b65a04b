package rift.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rift.experiment.ExperimentSpec;
import rift.kernels.RiftException;
import rift.recipe.Recipe;
import rift.recipe.RecipeCheck;
import rift.recipe.RecipeDocs;

/** {@code rift recipe validate|show|docs}: check a recipe, print it resolved, print the key reference. */
@Command(name = "recipe",
        description = "Check a recipe, print it fully resolved, or print the reference of every key.",
        subcommands = {RecipeCommand.Validate.class, RecipeCommand.Show.class, RecipeCommand.Docs.class})
public final class RecipeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Exit status of a recipe error, as rift.cli.Main uses for every RiftException. */
    static final int USER_ERROR = 2;

    /** The recipe file and its overrides, shared by the subcommands. */
    static final class RecipeArgs {
        @Parameters(index = "0", paramLabel = "FILE", description = "Recipe YAML file.")
        Path file;

        @Parameters(index = "1..*", paramLabel = "KEY=VALUE",
                description = "Overrides applied after the file, e.g. schedule.max_steps=6 run_dir=out/x.")
        List<String> overrides = new ArrayList<>();
    }

    @Command(name = "validate",
            description = "Load and check a recipe; print 'ok: FILE (...)' or every problem with its file, line and fix.")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @picocli.CommandLine.Mixin
        RecipeArgs args;

        @Option(names = "--no-file-check", description = "Do not check that the model, tokenizer and data files exist.")
        boolean noFileCheck;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                ExperimentSpec.refuseAsRecipe(args.file, "rift recipe validate");
                RecipeCheck.Report report = RecipeCheck.run(args.file, args.overrides, Path.of(""), !noFileCheck);
                for (String w : report.warnings()) err.println("warning: " + w);
                if (!report.missingFiles().isEmpty()) {
                    for (String m : report.missingFiles()) err.println("error: " + m);
                    err.println("(use --no-file-check to check the recipe alone)");
                    return USER_ERROR;
                }
                out.println("ok: " + args.file + " (" + summary(report.recipe()) + ")");
                return 0;
            } catch (RiftException e) {
                err.println("error: " + e.getMessage());
                return USER_ERROR;
            }
        }
    }

    @Command(name = "show",
            description = "Print the recipe fully resolved: every key, defaults filled, extends and overrides applied.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @picocli.CommandLine.Mixin
        RecipeArgs args;

        @Override
        public Integer call() {
            try {
                ExperimentSpec.refuseAsRecipe(args.file, "rift recipe show");
                Recipe r = Recipe.load(args.file, args.overrides);
                spec.commandLine().getOut().print(r.toYaml());
                spec.commandLine().getOut().println("# hash: " + r.hash());
                return 0;
            } catch (RiftException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return USER_ERROR;
            }
        }
    }

    @Command(name = "docs",
            description = "Print the reference of every recipe key (the content of docs/recipes.md).")
    static final class Docs implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Override
        public Integer call() {
            // print does not trigger autoflush, and rift exits right after: flush, or `> docs/recipes.md` loses the tail
            spec.commandLine().getOut().print(RecipeDocs.markdown());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** One line about the run: what the integrator and the researcher most want to see at a glance. */
    static String summary(Recipe r) {
        StringBuilder sb = new StringBuilder("method " + r.method().name().toLowerCase());
        sb.append(", model ").append(r.model().path() != null ? r.model().path() : "from config");
        sb.append(", ").append(r.data().train().size()).append(r.data().train().size() == 1 ? " train file" : " train files");
        sb.append(r.schedule().maxSteps() != null ? ", " + r.schedule().maxSteps() + " steps" : ", " + r.schedule().epochs() + " epochs");
        sb.append(", global batch ").append(r.schedule().globalBatch());
        if (r.isGrpo()) sb.append(", G=").append(r.grpo().numGenerations());
        sb.append(", run_dir ").append(r.runDir());
        sb.append(", hash ").append(r.hash(), 0, 12);
        return sb.toString();
    }
}
