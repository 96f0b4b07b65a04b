package rift.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rift.eval.BenchmarkResult;
import rift.eval.EvalOptions;
import rift.eval.EvalRunner;
import rift.eval.ResultWriter;
import rift.eval.RiftHome;
import rift.eval.Suite;
import rift.eval.SuiteLoader;
import rift.kernels.RiftException;
import rift.kernels.cpu.CpuBackend;
import rift.model.ModelIO;
import rift.model.Transformer;
import rift.tokenizer.Tokenizer;

/** {@code rift eval CHECKPOINT --suite SUITE}: run an evaluation suite and write per-item results and scores. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a model directory (Hugging Face layout) on a benchmark suite (docs/eval-suites.md).",
                "Writes OUT/<benchmark>.jsonl (per item), OUT/scores.csv (model,base,benchmark,group,score: the input of"
                        + " rift ti) and OUT/scores.json (metric, bootstrap 95%% CI, sub-metrics). Progress and ETA go to stderr."})
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "Model directory (config.json, *.safetensors, tokenizer.json).")
    Path checkpoint;

    @Option(names = "--suite", required = true, paramLabel = "SUITE",
            description = "Suite file, or the name of one in recipes/suites/ (paper, testbed, smoke).")
    String suite;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: eval-<model name>-<suite>).")
    Path out;

    @Option(names = "--limit", paramLabel = "N", description = "At most N items per benchmark (a seeded subset, kept in file order).")
    Integer limit;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda, cuda-bf16 or auto (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--model-name", paramLabel = "NAME", description = "Model column of scores.csv (default: the checkpoint folder's name).")
    String modelName;

    @Option(names = "--base-name", paramLabel = "NAME", defaultValue = "",
            description = "Base column of scores.csv: the model this one was trained from (empty for a base model).")
    String baseName;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Override every benchmark's max_new_tokens.")
    Integer maxNewTokens;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of subsets, sampling and bootstrap (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--only", split = ",", paramLabel = "ID", description = "Run only these benchmarks (comma-separated ids).")
    List<String> only;

    @Option(names = "--chat", paramLabel = "on|off", description = "Override every benchmark's chat-template setting.")
    String chat;

    @Option(names = "--data-root", paramLabel = "DIR", description = "Resolve relative data paths here instead of the suite's data_root"
            + " (e.g. the folder written by rift data synth for the testbed suite).")
    Path dataRoot;

    @Option(names = "--tokenizer", paramLabel = "PATH", description = "tokenizer.json or its folder (default: the checkpoint).")
    Path tokenizer;

    @Option(names = "--batch", defaultValue = "8", description = "Sequences decoded together (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--kv-cache-gb", defaultValue = "4", description = "KV cache budget; fewer sequences run together when the"
            + " cache would be larger (default ${DEFAULT-VALUE}).")
    double kvCacheGb;

    @Option(names = "--bos", negatable = true, description = "Put the BOS token before every prompt (default: when tokenizer_config.json"
            + " says add_bos_token).")
    Boolean bos;

    @Override
    public Integer call() {
        if (!Files.isDirectory(checkpoint)) throw new RiftException(checkpoint + ": not a directory; give a model directory in the Hugging Face layout");
        if (limit != null && limit < 1) throw new RiftException("--limit must be >= 1, got " + limit);
        if (maxNewTokens != null && maxNewTokens < 1) throw new RiftException("--max-new-tokens must be >= 1, got " + maxNewTokens);
        if (batch < 1) throw new RiftException("--batch must be >= 1, got " + batch);
        if (!(kvCacheGb > 0)) throw new RiftException("--kv-cache-gb must be > 0, got " + kvCacheGb);
        Boolean chatOverride = switch (chat == null ? "" : chat.toLowerCase(Locale.ROOT)) {
            case "" -> null;
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new RiftException("--chat " + chat + ": use on or off");
        };
        Path home = RiftHome.resolve();
        Path suiteFile = SuiteLoader.locate(suite, home);
        Suite s = SuiteLoader.load(suiteFile, home, dataRoot);
        String model = modelName != null ? modelName : checkpoint.toAbsolutePath().normalize().getFileName().toString();
        Path outDir = out != null ? out : Path.of("eval-" + model + "-" + s.name());

        Path tokPath = tokenizer != null ? tokenizer : checkpoint;
        Transformer m = ModelIO.load(checkpoint, rift.kernels.Backends.create(device));
        try (Tokenizer tok = Tokenizer.load(tokPath)) {
            Set<String> onlySet = only == null ? null : new LinkedHashSet<>(only);
            EvalOptions opt = EvalOptions.defaults().withSeed(seed).withLimit(limit).withMaxNewTokens(maxNewTokens).withChat(chatOverride)
                    .withOnly(onlySet).withSlots(batch).withKvCacheBytes((long) (kvCacheGb * (1L << 30)))
                    .withAddBos(bos != null ? bos : GenerateCommand.addsBos(Files.isDirectory(tokPath) ? tokPath : tokPath.toAbsolutePath().getParent()));
            List<BenchmarkResult> results = new EvalRunner(m, tok, opt).run(s);
            ResultWriter.write(outDir, new ResultWriter.RunInfo(model, baseName, s.name(), suiteFile.toString(), seed, limit), results);
            report(spec.commandLine().getOut(), model, s, results, outDir);
        }
        return 0;
    }

    private static void report(PrintWriter w, String model, Suite s, List<BenchmarkResult> results, Path outDir) {
        w.printf(Locale.ROOT, "%s on suite %s%n", model, s.name());
        int width = "benchmark".length();
        for (BenchmarkResult r : results) width = Math.max(width, r.benchmark().id().length());
        w.printf(Locale.ROOT, "  %-" + width + "s %-6s %-14s %-18s %8s %17s %6s %3s%n", "benchmark", "group", "scorer", "metric", "score", "95% CI", "items", "k");
        for (BenchmarkResult r : results) {
            w.printf(Locale.ROOT, "  %-" + width + "s %-6s %-14s %-18s %8.2f  [%6.2f, %6.2f] %6d %3d%n", r.benchmark().id(), r.benchmark().group().label(),
                    r.benchmark().scorer().type(), r.benchmark().scorer().metric(), r.score(), r.ci().low(), r.ci().high(), r.items().size(),
                    r.samplesPerItem());
        }
        w.printf(Locale.ROOT, "wrote %s (scores.csv, scores.json, <benchmark>.jsonl)%n", outDir);
        w.flush();
    }
}
