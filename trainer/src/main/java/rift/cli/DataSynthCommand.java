package rift.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import rift.kernels.RiftException;
import rift.testbed.Family;
import rift.testbed.Item;
import rift.testbed.PretrainCorpus;
import rift.testbed.TestbedFiles;
import rift.testbed.TestbedSets;
import rift.testbed.TestbedVocab;

/**
 * {@code rift data synth}: write the built-in synthetic testbed (pretraining mix, math SFT and RL sets,
 * held-out eval sets per family, tokenizer) to a directory, atomically.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Write the synthetic testbed (training sets, eval sets, tokenizer) to a directory.",
                "Files: pretrain.jsonl.gz {text}, math_sft.jsonl.gz {prompt,completion,answer}, math_rl.jsonl.gz"
                        + " {prompt,answer}, eval/<family>.jsonl.gz {id,family,group,prompt,answer,...fields},"
                        + " tokenizer.json and tokenizer_config.json. The same seed and sizes give byte-identical files."})
public final class DataSynthCommand implements Runnable {
    static final String DEFAULT_SIZES = "pretrain=20000,sft=4000,rl=2000,eval=200";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created; must be empty or absent unless --force).")
    Path out;

    @Option(names = "--seed", description = "Testbed seed (default ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--sizes", paramLabel = "K=N,...", description = "Set sizes; any subset of pretrain, sft, rl, eval (per family) (default " + DEFAULT_SIZES + ").")
    String sizes = DEFAULT_SIZES;

    @Option(names = "--force", description = "Replace a non-empty output directory.")
    boolean force;

    /** Parsed --sizes: the defaults overridden by the given keys. */
    static Map<String, Integer> parseSizes(String text) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String kv : DEFAULT_SIZES.split(",")) m.put(kv.split("=")[0], Integer.parseInt(kv.split("=")[1]));
        if (text.isBlank()) return m;
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", -1);
            if (kv.length != 2 || !m.containsKey(kv[0].trim()))
                throw new RiftException("--sizes: \"" + part.trim() + "\" is not KEY=N with KEY one of " + m.keySet() + " (e.g. " + DEFAULT_SIZES + ")");
            int n;
            try {
                n = Integer.parseInt(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new RiftException("--sizes: " + kv[0].trim() + "=" + kv[1] + " is not a whole number");
            }
            if (n < 0) throw new RiftException("--sizes: " + kv[0].trim() + " must be >= 0, got " + n);
            m.put(kv[0].trim(), n);
        }
        return m;
    }

    @Override
    public void run() {
        Map<String, Integer> size = parseSizes(sizes);
        Path target = out.toAbsolutePath().normalize();
        checkTarget(target);
        TestbedVocab vocab = TestbedVocab.standard();

        List<Item> pretrain = PretrainCorpus.items(seed, size.get("pretrain"));
        int mathCount = Math.max(size.get("sft"), size.get("rl"));
        List<Item> math = TestbedSets.mathTrain(seed, mathCount);
        Set<String> trainingPrompts = new HashSet<>();
        for (Item it : pretrain) trainingPrompts.add(it.prompt());
        for (Item it : math) trainingPrompts.add(it.prompt());
        List<TestbedSets.EvalSet> evals = new ArrayList<>();
        for (Family f : Family.values()) evals.add(TestbedSets.eval(f, seed, size.get("eval"), trainingPrompts));

        List<ObjectNode> pretrainRecords = new ArrayList<>();
        for (Item it : pretrain) pretrainRecords.add(TestbedFiles.pretrainRecord(it));
        List<ObjectNode> sftRecords = new ArrayList<>();
        for (Item it : math.subList(0, size.get("sft"))) sftRecords.add(TestbedFiles.sftRecord(it));
        List<ObjectNode> rlRecords = new ArrayList<>();
        for (Item it : math.subList(0, size.get("rl"))) rlRecords.add(TestbedFiles.rlRecord(it));
        verifyVocabulary(vocab, pretrainRecords, sftRecords, rlRecords, evals);

        Path parent = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
            openUp(tmp);
            TestbedFiles.writeJsonlGz(tmp.resolve("pretrain.jsonl.gz"), pretrainRecords);
            TestbedFiles.writeJsonlGz(tmp.resolve("math_sft.jsonl.gz"), sftRecords);
            TestbedFiles.writeJsonlGz(tmp.resolve("math_rl.jsonl.gz"), rlRecords);
            Files.createDirectory(tmp.resolve("eval"));
            openUp(tmp.resolve("eval"));
            for (TestbedSets.EvalSet e : evals) {
                List<ObjectNode> recs = new ArrayList<>();
                for (Item it : e.items()) recs.add(TestbedFiles.evalRecord(it));
                TestbedFiles.writeJsonlGz(tmp.resolve("eval").resolve(e.family().key() + ".jsonl.gz"), recs);
            }
            Files.writeString(tmp.resolve("tokenizer.json"), vocab.tokenizerJson(), StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve("tokenizer_config.json"), vocab.tokenizerConfigJson(), StandardCharsets.UTF_8);
            replace(target, tmp);
            tmp = null;
        } catch (IOException e) {
            throw new RiftException(target + ": cannot write the testbed (" + e + "); check free disk space and write permission", e);
        } finally {
            if (tmp != null) deleteTree(tmp);
        }
        report(spec.commandLine().getOut(), target, size, evals, vocab);
    }

    private void checkTarget(Path target) {
        if (!Files.exists(target)) return;
        if (!Files.isDirectory(target)) throw new RiftException("--out " + target + " is a file; give a directory path");
        boolean empty;
        try (Stream<Path> s = Files.list(target)) {
            empty = s.findAny().isEmpty();
        } catch (IOException e) {
            throw new RiftException("--out " + target + ": cannot list (" + e + ")", e);
        }
        if (!empty && !force) throw new RiftException("--out " + target + " is not empty; pass --force to replace it, or choose a new directory");
    }

    // Moves the finished temp directory into place. An existing target is first renamed aside, so a
    // crash leaves either the old directory, or the new one (plus a stray .old-* or .tmp-* beside it).
    private static void replace(Path target, Path tmp) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) deleteTree(old);
    }

    // Temp directories are created owner-only; the output is an ordinary data directory.
    private static void openUp(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException ignored) {
            // Not a POSIX file system: keep the default permissions.
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Leaves a stray hidden directory beside the output at worst.
        }
    }

    // Every text written must encode without <unk> (then decode(encode(text)) == text exactly).
    private static void verifyVocabulary(TestbedVocab vocab, List<ObjectNode> pretrain, List<ObjectNode> sft, List<ObjectNode> rl,
                                         List<TestbedSets.EvalSet> evals) {
        List<String> texts = new ArrayList<>();
        for (ObjectNode r : pretrain) texts.add(r.get("text").asText());
        for (ObjectNode r : sft) texts.add(r.get("prompt").asText() + r.get("completion").asText());
        for (ObjectNode r : rl) texts.add(r.get("answer").asText());
        for (TestbedSets.EvalSet e : evals)
            for (Item it : e.items()) {
                texts.add(it.prompt());
                texts.add(it.answer());
                texts.add(it.family().directAnswer(it));
            }
        for (String t : texts) {
            List<String> unknown = vocab.unknownPieces(t);
            if (!unknown.isEmpty())
                throw new IllegalStateException("testbed text has pieces outside the testbed vocabulary " + unknown + ": " + t);
        }
    }

    private void report(PrintWriter w, Path target, Map<String, Integer> size, List<TestbedSets.EvalSet> evals, TestbedVocab vocab) {
        w.printf("wrote %s (seed %d)%n", target, seed);
        w.printf("  %-24s %6d documents (all families, direct answers)%n", "pretrain.jsonl.gz", size.get("pretrain"));
        w.printf("  %-24s %6d math problems with teacher traces%n", "math_sft.jsonl.gz", size.get("sft"));
        w.printf("  %-24s %6d math problems (the first of the SFT problems)%n", "math_rl.jsonl.gz", size.get("rl"));
        for (TestbedSets.EvalSet e : evals)
            w.printf("  %-24s %6d items (%s; skipped %d seen in training, %d repeats)%n", "eval/" + e.family().key() + ".jsonl.gz",
                    e.items().size(), e.family().group().key(), e.skippedTraining(), e.skippedRepeat());
        w.printf("  %-24s %6d tokens%n", "tokenizer.json", vocab.size());
        w.printf("tokens per eval item (testbed tokenizer):%n  %-9s %-6s %14s %14s %14s%n", "family", "group", "prompt mean/max",
                "answer mean/max", "trace mean/max");
        for (TestbedSets.EvalSet e : evals) {
            Stats prompt = new Stats(), answer = new Stats(), trace = new Stats();
            for (Item it : e.items()) {
                prompt.add(vocab.encode(it.prompt()).length);
                answer.add(vocab.encode(it.family().directAnswer(it)).length);
                if (it.trace() != null) trace.add(vocab.encode(it.trace()).length);
            }
            w.printf("  %-9s %-6s %14s %14s %14s%n", e.family().key(), e.family().group().key(), prompt, answer, trace);
        }
        w.flush();
    }

    private static final class Stats {
        long sum;
        int max;
        int n;

        void add(int x) {
            sum += x;
            max = Math.max(max, x);
            n++;
        }

        @Override
        public String toString() {
            return n == 0 ? "-" : String.format("%.1f/%d", (double) sum / n, max);
        }
    }
}
