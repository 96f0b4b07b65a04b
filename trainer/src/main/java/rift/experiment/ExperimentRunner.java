package rift.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import rift.checkpoint.CheckpointReader;
import rift.eval.BenchmarkResult;
import rift.eval.EvalOptions;
import rift.eval.EvalRunner;
import rift.eval.ResultWriter;
import rift.eval.RiftHome;
import rift.eval.Suite;
import rift.eval.SuiteLoader;
import rift.eval.ti.BenchmarkGroup;
import rift.eval.ti.ScoreRow;
import rift.eval.ti.ScoreTable;
import rift.eval.ti.TiOptions;
import rift.eval.ti.TiResult;
import rift.eval.ti.TransferabilityIndex;
import rift.kernels.RiftException;
import rift.kernels.Backend;
import rift.kernels.Backends;
import rift.model.ModelIO;
import rift.model.Transformer;
import rift.recipe.Recipe;
import rift.tokenizer.Tokenizer;
import rift.train.Training;

/**
 * Runs an {@link ExperimentSpec} end to end, reusing whatever is already done: the base (trained and
 * exported once), each arm x seed (its run directory is named by the content hash of its resolved recipe,
 * resumed if it stopped half way), and each evaluation (keyed by the model's checkpoint manifest, the suite
 * file and the evaluation options). Everything lands under the experiment's run_dir.
 */
public final class ExperimentRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ExperimentSpec spec;
    private final Path home;

    public ExperimentRunner(ExperimentSpec spec) {
        this.spec = spec;
        this.home = RiftHome.resolve();
    }

    /** One trained (or base) model of the experiment. */
    public record ModelRun(String label, String arm, long seed, Path modelDir, Path runDir) {}

    /** Per-benchmark score of one model. */
    public record Score(String model, String arm, long seed, String benchmark, BenchmarkGroup group, double score, double ciLow,
                        double ciHigh) {}

    /** What the experiment produced; {@code device} is the backend of its evaluations (made on first use), which the probes share. */
    public record Outcome(List<ModelRun> models, List<Score> scores, TiResult ti, Path runDir, java.util.function.Supplier<Backend> device) {}

    public Outcome run() {
        long t0 = System.nanoTime();
        checkInputs();
        Path base = ensureBase();
        List<ModelRun> models = new ArrayList<>();
        models.add(new ModelRun("base", "base", -1, base, null));
        for (long seed : spec.seeds())
            for (ExperimentSpec.Arm arm : spec.arms()) models.add(trainArm(arm, seed, base));
        List<Score> scores = new ArrayList<>();
        for (ModelRun m : models) scores.addAll(evaluate(m, base));
        TiResult ti = transferability(scores);
        log(String.format(Locale.ROOT, "experiment %s: training and evaluation done in %.1f min", spec.name(), (System.nanoTime() - t0) / 6e10));
        return new Outcome(models, scores, ti, spec.runDir(), this::backend);
    }

    /**
     * Reads every recipe and suite the experiment will use before anything trains, so a typo in an arm's
     * recipe or a suite name fails in seconds, not after the base and the first arms trained for an hour.
     */
    private void checkInputs() {
        checkSuite("eval.suite", spec.evalSuite());
        if (spec.probes()) checkSuite("probes.suite", spec.probeSuite());
        if (spec.baseRecipe() != null) Recipe.load(spec.baseRecipe(), List.of("run_dir=" + spec.runDir().resolve("base")));
        Path base = spec.basePath() != null ? spec.basePath() : spec.runDir().resolve("base").resolve("model");
        for (ExperimentSpec.Arm arm : spec.arms())
            for (long seed : spec.seeds()) Recipe.load(arm.recipe(), spec.armRecipeOverrides(base, seed, Path.of("RUN_DIR")));
    }

    private void checkSuite(String key, String suite) {
        try {
            SuiteLoader.load(SuiteLoader.locate(suite, home), home, null);
        } catch (RiftException e) {
            throw new RiftException(spec.file() + ": " + key + ": " + e.getMessage(), e);
        }
    }

    static void log(String s) {
        System.err.println("rift experiment: " + s);
    }

    /** The base model directory: the given path when it holds a model, else trained from base.recipe and exported there. */
    private Path ensureBase() {
        Path p = spec.basePath();
        if (p != null && Files.isRegularFile(p.resolve("config.json"))) {
            log("base: using " + p);
            return p;
        }
        if (spec.baseRecipe() == null)
            throw new RiftException(spec.file() + ": base.path " + p + " holds no model (config.json) and there is no base.recipe to train it");
        Path runDir = spec.runDir().resolve("base");
        Recipe r = Recipe.load(spec.baseRecipe(), List.of("run_dir=" + runDir));
        Path finished = runDir.resolve("FINISHED");
        if (!Files.exists(finished)) {
            var ck = CheckpointReader.latestComplete(runDir);
            log("base: " + (ck.isPresent() ? "resuming" : "training") + " from " + spec.baseRecipe());
            Training.run(r, runDir, ck.map(c -> Training.readCheckpoint(c)).orElse(null));
            markFinished(runDir);
        }
        Path last = CheckpointReader.latestComplete(runDir).orElseThrow();
        Path out = p != null ? p : runDir.resolve("model");
        if (!Files.isRegularFile(out.resolve("config.json"))) {
            log("base: exporting " + last + " -> " + out);
            int code = rift.cli.Main.commandLine().execute("export", last.toString(), "--out", out.toString(), "--dtype", "fp32");
            if (code != 0) throw new RiftException(spec.file() + ": base: exporting " + last + " to " + out + " failed (the error is above);"
                    + " fix it, or point base.path at an existing model directory");
        }
        return out;
    }

    private static void markFinished(Path runDir) {
        try {
            Files.writeString(runDir.resolve("FINISHED"), "complete\n");
        } catch (IOException e) {
            throw new RiftException(runDir + ": cannot write FINISHED (" + e.getMessage() + ")");
        }
    }

    /** Trains one arm for one seed (or reuses / resumes it); returns its final checkpoint as the model. */
    private ModelRun trainArm(ExperimentSpec.Arm arm, long seed, Path base) {
        // the run directory is named by the recipe's content (with run_dir itself left out of the key)
        Recipe probe = Recipe.load(arm.recipe(), spec.armRecipeOverrides(base, seed, Path.of("RUN_DIR")));
        String key = ContentKey.of(probe.toYaml(), ContentKey.ofModel(base));
        Path runDir = spec.runDir().resolve("arms").resolve(arm.name() + "-seed" + seed + "-" + key);
        Recipe r = Recipe.load(arm.recipe(), spec.armRecipeOverrides(base, seed, runDir));
        String label = arm.name() + "-seed" + seed;
        if (!Files.exists(runDir.resolve("FINISHED"))) {
            var ck = CheckpointReader.latestComplete(runDir);
            log(label + ": " + (ck.isPresent() ? "resuming " + ck.get() : "training") + " (" + arm.recipe() + ")");
            Training.run(r, runDir, ck.map(c -> Training.readCheckpoint(c)).orElse(null));
            markFinished(runDir);
        } else {
            log(label + ": reusing " + runDir);
        }
        Path model = CheckpointReader.latestComplete(runDir).orElseThrow();
        return new ModelRun(label, arm.name(), seed, model, runDir);
    }

    private Backend backend;

    /** The backend of evaluation and probes (spec.device), made on first use and shared by every model. */
    private Backend backend() {
        if (backend == null) backend = Backends.create(spec.device());
        return backend;
    }

    /** Evaluates one model on the suite, reusing a finished evaluation with the same content key. */
    private List<Score> evaluate(ModelRun m, Path base) {
        Path suiteFile = SuiteLoader.locate(spec.evalSuite(), home);
        // the device joins the key only off the CPU, so CPU evaluations made before the key existed are reused
        String key = spec.device().equals("cpu")
                ? ContentKey.of(ContentKey.ofModel(m.modelDir()), ContentKey.ofFile(suiteFile), String.valueOf(spec.evalLimit()),
                        String.valueOf(spec.evalMaxNewTokens()))
                : ContentKey.of(ContentKey.ofModel(m.modelDir()), ContentKey.ofFile(suiteFile), String.valueOf(spec.evalLimit()),
                        String.valueOf(spec.evalMaxNewTokens()), "device=" + spec.device());
        Path dir = spec.runDir().resolve("eval").resolve(m.label() + "-" + key);
        if (!Files.exists(dir.resolve("DONE"))) {
            log("evaluating " + m.label() + " on suite " + spec.evalSuite());
            Suite s = SuiteLoader.load(suiteFile, home, null);
            Transformer model = ModelIO.load(m.modelDir(), backend());
            Path tokDir = Files.isRegularFile(m.modelDir().resolve("tokenizer.json")) ? m.modelDir() : base;
            try (Tokenizer tok = Tokenizer.load(tokDir)) {
                EvalOptions opt = EvalOptions.defaults().withLimit(spec.evalLimit()).withMaxNewTokens(spec.evalMaxNewTokens());
                List<BenchmarkResult> results = new EvalRunner(model, tok, opt).run(s);
                ResultWriter.write(dir, new ResultWriter.RunInfo(m.label(), m.arm().equals("base") ? "" : "base", s.name(),
                        suiteFile.toString(), opt.seed(), spec.evalLimit()), results);
                ArrayNode arr = JSON.createArrayNode();
                for (BenchmarkResult r : results) {
                    ObjectNode o = arr.addObject();
                    o.put("benchmark", r.benchmark().id());
                    o.put("group", r.benchmark().group().label());
                    o.put("score", r.score());
                    o.put("ci_low", r.ci().low());
                    o.put("ci_high", r.ci().high());
                }
                Files.writeString(dir.resolve("summary.json"), arr.toPrettyString(), StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("DONE"), "complete\n");
            } catch (IOException e) {
                throw new RiftException(dir + ": cannot write evaluation results (" + e.getMessage() + ")");
            }
        } else {
            log("reusing evaluation of " + m.label() + " (" + dir + ")");
        }
        List<Score> out = new ArrayList<>();
        try {
            for (JsonNode o : JSON.readTree(dir.resolve("summary.json").toFile()))
                out.add(new Score(m.label(), m.arm(), m.seed(), o.get("benchmark").asText(), group(o.get("group").asText()),
                        o.get("score").asDouble(), o.get("ci_low").asDouble(), o.get("ci_high").asDouble()));
        } catch (IOException e) {
            throw new RiftException(dir + ": cannot read summary.json (" + e.getMessage() + ")");
        }
        return out;
    }

    private static BenchmarkGroup group(String label) {
        for (BenchmarkGroup g : BenchmarkGroup.values()) if (g.label().equals(label)) return g;
        throw new IllegalArgumentException(label);
    }

    /** TI of every arm x seed against the shared base, sigma pooled over all of them (the paper's reading). */
    private TiResult transferability(List<Score> scores) {
        List<ScoreRow> rows = new ArrayList<>();
        for (Score s : scores)
            rows.add(new ScoreRow(s.model(), s.arm().equals("base") ? "" : "base", s.benchmark(), s.group(), s.score(), 0));
        // every model's scores in one file, the input `rift ti --scores` takes (so other sigma modes can be tried)
        Path csv = spec.runDir().resolve("scores.csv");
        StringBuilder sb = new StringBuilder("model,base,benchmark,group,score\n");
        for (ScoreRow r : rows)
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%.4f%n", r.model(), r.base(), r.benchmark(), r.group().label(), r.score()));
        try {
            Files.createDirectories(csv.getParent());
            Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RiftException(csv + ": cannot write (" + e.getMessage() + ")");
        }
        ScoreTable table = ScoreTable.of(csv.toString(), rows);
        TiOptions opt = spec.tiSigma().equals("per-model") ? TiOptions.perModel() : TiOptions.pooled();
        try {
            TiResult r = TransferabilityIndex.compute(table, opt, false);
            for (var m : r.models())
                if (m.tiOther() == null && m.tiNon() == null)
                    log("TI of " + m.model() + " is undefined: it did not gain on math (DI_math <= 0); its domain indices are reported");
            return r;
        } catch (RiftException e) {
            log("TI not computed: " + e.getMessage());
            return null;
        }
    }
}
