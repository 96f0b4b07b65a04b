package rift.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rift.eval.RiftHome;
import rift.eval.Suite;
import rift.eval.SuiteLoader;
import rift.kernels.RiftException;
import rift.kernels.Backend;
import rift.kernels.Backends;
import rift.model.ModelConfig;
import rift.model.ModelIO;
import rift.model.Transformer;
import rift.probe.ProbeJson;
import rift.probe.ProbeOptions;
import rift.probe.ProbeReport;
import rift.probe.ProbeRunner;
import rift.probe.ProbeTable;
import rift.tokenizer.Tokenizer;

/**
 * {@code rift probe kl|rank|pca|all BASE TUNED --suite SUITE}: the paper's drift probes of a tuned model
 * against its base (shared/docs/paper.md §4.1-§4.3) on every benchmark of a suite; writes OUT/probes.json
 * and prints a table. kl and rank come from the same teacher-forced pass (probes.json holds both); they
 * differ in the columns printed.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Measure how far TUNED drifted from BASE on a suite's benchmarks (paper §4): token KL and rank shift on"
                + " TUNED's own greedy responses, teacher-forced through both models (kl, rank), and the PCA shift d of mean-pooled"
                + " hidden states at every layer (pca). Writes OUT/probes.json (every number) and prints a table."})
public final class ProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROBE", description = "kl, rank, pca or all.")
    String probe;

    @Parameters(index = "1", paramLabel = "BASE", description = "The base model directory (config.json, *.safetensors, tokenizer.json).")
    Path base;

    @Parameters(index = "2", paramLabel = "TUNED", description = "The tuned model directory (tokenizer.json optional: BASE's is used).")
    Path tuned;

    @Option(names = "--suite", required = true, paramLabel = "SUITE",
            description = "Suite file, or the name of one in recipes/suites/ (paper, testbed, smoke).")
    String suite;

    @Option(names = "--limit", paramLabel = "K", defaultValue = "100",
            description = "The first K items of every benchmark (default ${DEFAULT-VALUE}, as the paper).")
    int limit;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: probe-<tuned name>-<suite>).")
    Path out;

    @Option(names = "--mask-padding", description = "PCA: pool over real tokens only (default: pads included, as the paper's code).")
    boolean maskPadding;

    @Option(names = "--paper-offbyone", description = "Token probes: skip each response's first token, as the paper's code does.")
    boolean paperOffByOne;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Override every benchmark's max_new_tokens for TUNED's responses.")
    Integer maxNewTokens;

    @Option(names = "--max-text-tokens", paramLabel = "N", defaultValue = "128",
            description = "PCA texts keep their first N tokens (default ${DEFAULT-VALUE}, as the paper).")
    int maxTextTokens;

    @Option(names = "--only", split = ",", paramLabel = "ID", description = "Probe only these benchmarks (comma-separated ids).")
    List<String> only;

    @Option(names = "--data-root", paramLabel = "DIR", description = "Resolve relative data paths here instead of the suite's data_root.")
    Path dataRoot;

    @Option(names = "--batch", defaultValue = "8", description = "Sequences TUNED decodes together (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--kv-cache-gb", defaultValue = "4", description = "KV cache budget for generation (default ${DEFAULT-VALUE}).")
    double kvCacheGb;

    @Option(names = "--batch-tokens", defaultValue = "2048",
            description = "Tokens per teacher-forced or hidden-state forward (default ${DEFAULT-VALUE}).")
    int batchTokens;

    @Option(names = "--top", defaultValue = "50", description = "Shifted tokens listed per benchmark and group (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--bos", negatable = true, description = "Put the BOS token before every prompt and PCA text (default: when"
            + " tokenizer_config.json says add_bos_token).")
    Boolean bos;

    @Option(names = "--device", defaultValue = "cpu", description = "Where the models run: cpu, cuda, cuda-bf16 or auto (default ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() {
        boolean kl, rank, pca;
        switch (probe.toLowerCase(Locale.ROOT)) {
            case "kl" -> { kl = true; rank = false; pca = false; }
            case "rank" -> { kl = false; rank = true; pca = false; }
            case "pca" -> { kl = false; rank = false; pca = true; }
            case "all" -> { kl = true; rank = true; pca = true; }
            default -> throw new RiftException("probe " + probe + ": unknown probe; use kl, rank, pca or all");
        }
        requireModelDir(base, "BASE");
        requireModelDir(tuned, "TUNED");
        if (!(kvCacheGb > 0)) throw new RiftException("--kv-cache-gb must be > 0, got " + kvCacheGb);
        Path tunedTokenizer = Files.isRegularFile(tuned.resolve(Tokenizer.TOKENIZER_JSON)) ? tuned : base;
        ProbeOptions opt = ProbeOptions.defaults().withProbes(kl || rank, pca).withLimit(limit).withMaskPadding(maskPadding)
                .withPaperOffByOne(paperOffByOne).withMaxNewTokens(maxNewTokens).withMaxTextTokens(maxTextTokens)
                .withOnly(only == null ? null : new LinkedHashSet<>(only)).withSlots(batch)
                .withKvCacheBytes((long) (kvCacheGb * (1L << 30))).withBatchTokens(batchTokens).withTopTokens(top)
                .withAddBos(bos != null ? bos : GenerateCommand.addsBos(tunedTokenizer));

        Path home = RiftHome.resolve();
        Suite s = SuiteLoader.load(SuiteLoader.locate(suite, home), home, dataRoot);
        String baseName = name(base), tunedName = name(tuned);
        Path outDir = out != null ? out : Path.of("probe-" + tunedName + "-" + s.name());
        rift.io.OutputFolder.requireWritable(outDir, "--out");

        ProbeRunner.checkConfigs(baseName, ModelConfig.load(base), tunedName, ModelConfig.load(tuned), pca);
        try (Tokenizer baseTok = Tokenizer.load(base); Tokenizer tunedTok = Tokenizer.load(tunedTokenizer)) {
            Backend be = Backends.create(device); // both models on one backend: one CUDA context
            Transformer baseModel = ModelIO.load(base, be);
            Transformer tunedModel = ModelIO.load(tuned, be);
            ProbeRunner runner = new ProbeRunner(new ProbeRunner.Model(baseName, baseModel, baseTok),
                    new ProbeRunner.Model(tunedName, tunedModel, tunedTok), opt);
            ProbeReport report = runner.run(s);
            Path file = ProbeJson.write(outDir, report);
            var w = spec.commandLine().getOut();
            ProbeTable.print(w, report, kl, rank, pca);
            w.println("wrote " + file);
            w.flush();
        }
        return 0;
    }

    private static void requireModelDir(Path dir, String role) {
        if (!Files.isDirectory(dir)) {
            throw new RiftException(role + " " + dir + ": not a directory; give a model directory in the Hugging Face layout"
                    + " (config.json, *.safetensors, tokenizer.json)");
        }
    }

    private static String name(Path dir) {
        Path n = dir.toAbsolutePath().normalize().getFileName();
        return n == null ? dir.toString() : n.toString();
    }
}
