package rift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} is what a newcomer reads first: it must render cleanly (picocli prints a
 * "[picocli WARN] Could not format" line and the raw text when a description has a lone '%', as "95% CI"
 * once did), and the one-line summary a parent lists for each subcommand must be a whole sentence.
 */
class HelpTextTest {

    private static List<CommandLine> allCommands() {
        List<CommandLine> out = new ArrayList<>();
        collect(Main.commandLine(), out);
        return out;
    }

    private static void collect(CommandLine cl, List<CommandLine> out) {
        out.add(cl);
        for (CommandLine sub : cl.getSubcommands().values()) if (!out.contains(sub)) collect(sub, out);
    }

    @Test
    void everyUsageRendersWithoutPicocliWarnings() {
        List<CommandLine> commands = allCommands();
        assertTrue(commands.size() > 15, "expected every subcommand, got " + commands.size());
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        List<String> usages = new ArrayList<>();
        try {
            for (CommandLine cl : commands) usages.add(cl.getUsageMessage());
        } finally {
            System.setErr(oldErr);
        }
        String warnings = err.toString(StandardCharsets.UTF_8);
        assertFalse(warnings.contains("picocli WARN"), "usage help printed warnings:\n" + warnings);
        for (String u : usages) assertFalse(u.contains("%n"), "unformatted usage text:\n" + u);
    }

    @Test
    void evalHelpSaysNinetyFivePercentCi() {
        String usage = Main.commandLine().getSubcommands().get("eval").getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(usage.contains("bootstrap 95% CI"), usage);
    }

    @Test
    void everySubcommandSummaryIsAWholeSentence() {
        List<String> bad = new ArrayList<>();
        for (CommandLine cl : allCommands()) {
            String[] description = cl.getCommandSpec().usageMessage().description();
            if (cl.getParent() == null || description.length == 0) continue;
            String first = description[0].strip();
            if (!(first.endsWith(".") || first.endsWith(")"))) bad.add(cl.getCommandSpec().qualifiedName() + ": '" + first + "'");
        }
        assertEquals(List.of(), bad, "a parent's command list shows only the first description line");
    }

    /** A doc a help text sends the reader to (e.g. "docs/eval-suites.md") must exist in the checkout. */
    @Test
    void everyDocNamedInAHelpTextExists() {
        java.nio.file.Path home = rift.eval.RiftHome.resolve();
        List<String> missing = new ArrayList<>();
        int named = 0;
        for (CommandLine cl : allCommands()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("docs/[\\w.-]+\\.md").matcher(cl.getUsageMessage().replaceAll("\\s+", ""));
            while (m.find()) {
                named++;
                if (!java.nio.file.Files.isRegularFile(home.resolve(m.group()))) missing.add(cl.getCommandSpec().qualifiedName() + ": " + m.group());
            }
        }
        assertTrue(named >= 3, "expected the help texts to name docs, found " + named);
        assertEquals(List.of(), missing);
    }
}
