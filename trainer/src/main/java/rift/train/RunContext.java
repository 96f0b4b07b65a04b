package rift.train;

import java.nio.file.Files;
import java.nio.file.Path;
import rift.checkpoint.Checkpoint;
import rift.checkpoint.CheckpointContents;
import rift.checkpoint.CheckpointWriter;
import rift.checkpoint.OptimizerState;
import rift.checkpoint.Retention;
import rift.kernels.Backend;
import rift.kernels.RiftException;
import rift.kernels.cpu.Parallel;
import rift.model.ModelConfig;
import rift.model.ModelIO;
import rift.model.Transformer;
import rift.model.Weights;
import rift.recipe.ArchConfig;
import rift.recipe.Recipe;
import rift.tokenizer.Tokenizer;

/**
 * What every training method shares: the resolved recipe, the run directory, the backend, the model,
 * its gradients and optimizer, the tokenizer, the metrics log, and checkpoint save/restore. SFT and
 * GRPO trainers hold one and add their data and step.
 */
public final class RunContext {
    public final Recipe recipe;
    public final Path runDir;
    public final Backend be;
    public final Transformer model;
    public final Weights grads;
    /** What the optimizer updates: the model's own weights, or an fp32 master copy when storage is bf16. */
    public final Weights master;
    public final AdamWOptimizer optimizer;
    public final Tokenizer tokenizer;
    public final Path tokenizerDir;
    public final MetricsLog metrics;

    public RunContext(Recipe recipe, Path runDir) {
        this.recipe = recipe;
        this.runDir = runDir;
        try {
            Files.createDirectories(runDir);
        } catch (java.io.IOException e) {
            throw new RiftException("run_dir " + runDir + ": cannot create it (" + e.getMessage() + ")");
        }
        if (recipe.threads() > 0) Parallel.setThreads(recipe.threads());
        this.be = backend(recipe);
        if (recipe.model().dtype() != rift.recipe.ModelConfig.Dtype.FP32 && be.name().equals("cpu"))
            System.err.println("rift: model.dtype " + recipe.model().dtype().name().toLowerCase(java.util.Locale.ROOT)
                    + " asked for, but the CPU backend trains in fp32 (bf16 storage is the CUDA backend's)");
        if (be.lowPrecisionStorage()) {
            // fp32 master weights hold the initial weights unrounded (an fp32 checkpoint, or the seeded init); the
            // model's bf16 weights are rounded copies of them, as after every optimizer step
            ModelConfig c = modelConfig(recipe);
            this.master = initialWeights(recipe, Weights.zerosF32(c, be), be);
            Weights w = Weights.zeros(c, be);
            for (var e : w.named().entrySet()) be.copy(e.getValue(), master.named().get(e.getKey()));
            this.model = new Transformer(c, w, be);
        } else {
            this.model = buildModel(recipe, be);
            this.master = model.weights;
        }
        this.grads = Weights.zerosF32(model.config, be);
        var o = recipe.optim();
        this.optimizer = new AdamWOptimizer(master, be, new AdamWOptimizer.Hyper(o.betas().get(0).floatValue(),
                o.betas().get(1).floatValue(), (float) o.eps(), (float) o.weightDecay(), (float) o.gradClip()));
        this.tokenizerDir = tokenizerDir(recipe);
        this.tokenizer = Tokenizer.load(tokenizerDir);
        if (tokenizer.vocabSize() > model.config.vocabSize())
            throw new RiftException(tokenizerDir + ": the tokenizer has " + tokenizer.vocabSize() + " tokens but the model's vocab_size is "
                    + model.config.vocabSize() + "; raise model.config.vocab_size or use the model's own tokenizer");
        this.metrics = new MetricsLog(runDir);
    }

    static Backend backend(Recipe r) {
        // model.dtype bf16 on a GPU: bf16 storage with fp32 master weights, moments and gradients (RunContext.master);
        // auto uses a GPU when one is usable and says when it falls back to the CPU (always fp32)
        boolean bf16 = r.model().dtype() == rift.recipe.ModelConfig.Dtype.BF16;
        return rift.kernels.Backends.create(switch (r.device()) {
            case CPU -> "cpu";
            case CUDA -> bf16 ? "cuda-bf16" : "cuda";
            case AUTO -> rift.kernels.cuda.Cuda.available() ? (bf16 ? "cuda-bf16" : "cuda") : "auto";
        });
    }

    static Path tokenizerDir(Recipe r) {
        String t = r.model().tokenizer() != null ? r.model().tokenizer() : r.model().path();
        if (t == null) throw new RiftException("recipe: model.tokenizer is required when the model is built from model.config");
        return rift.data.DataFiles.locate(t);
    }

    /** The recipe's model in the backend's storage type: model.path's weights, or model.config seeded with seed. */
    static Transformer buildModel(Recipe r, Backend be) {
        ModelConfig c = modelConfig(r);
        return new Transformer(c, initialWeights(r, Weights.zeros(c, be), be), be);
    }

    /** The recipe's initial weights written into w: model.path's tensors, or the seeded init. Returns w. */
    static Weights initialWeights(Recipe r, Weights w, Backend be) {
        return r.model().path() != null ? ModelIO.loadWeightsInto(modelDir(r), w, be) : Weights.fillRandom(w, be, r.seed());
    }

    static Path modelDir(Recipe r) {
        Path dir = rift.data.DataFiles.locate(r.model().path());
        if (!Files.isDirectory(dir)) throw new RiftException("recipe model.path: " + dir + " is not a directory");
        return dir;
    }

    /** The model's architecture: model.path's config.json, or model.config with the tokenizer's special ids. */
    static ModelConfig modelConfig(Recipe r) {
        if (r.model().path() != null) return ModelConfig.load(modelDir(r));
        ArchConfig a = r.model().config();
        ModelConfig.Arch arch = switch (a.arch()) {
            case QWEN3 -> ModelConfig.Arch.QWEN3;
            case QWEN2 -> ModelConfig.Arch.QWEN2;
            case LLAMA -> ModelConfig.Arch.LLAMA;
        };
        int heads = a.numAttentionHeads();
        int kv = a.numKeyValueHeads() != null ? a.numKeyValueHeads() : heads;
        int hd = a.headDim() != null ? a.headDim() : a.hiddenSize() / heads;
        Tokenizer tok = Tokenizer.load(tokenizerDir(r));
        int bos = tok.bosId().orElse(-1), pad = tok.padId().orElse(-1);
        int[] eos = tok.stopIds();
        ModelConfig c = new ModelConfig(arch, a.vocabSize(), a.hiddenSize(), a.numHiddenLayers(), heads, kv, hd, a.intermediateSize(),
                a.ropeTheta(), (float) a.rmsNormEps(), a.tieWordEmbeddings(), a.maxPositionEmbeddings(), null, arch == ModelConfig.Arch.QWEN2,
                false, bos, eos, pad, a.initStd());
        tok.close();
        return c;
    }

    /** One AdamW update of the master weights (grad norm already computed), writing the bf16 weights too when there are masters. */
    void update(double lr, double gradNorm) {
        optimizer.update(master, grads, (float) lr, gradNorm, master != model.weights ? model.weights : null);
    }

    /** Calls step until totalSteps steps are done, checkpointing every checkpoint.every steps and at the end. */
    void runToEnd(java.util.function.IntSupplier stepsDone, int totalSteps, Runnable step, Runnable save) {
        Integer every = recipe.checkpoint().every();
        while (stepsDone.getAsInt() < totalSteps) {
            step.run();
            int done = stepsDone.getAsInt();
            if ((every != null && done % every == 0) || done == totalSteps) save.run();
        }
    }

    /** The error when data.train yields nothing to train on: which files, and what to change. */
    static String noUsableData(Recipe r, String what) {
        return "data.train " + r.data().train() + ": no usable " + what + ": the files hold no records, or every record was skipped,"
                + " filtered out or longer than data.max_seq_len (the data line above counts each); check the files, or raise"
                + " data.max_seq_len / data.max_prompt_tokens";
    }

    /** The chat formatting data.chat_template names, or null for plain text. */
    static rift.tokenizer.ChatTemplate chatTemplate(rift.recipe.DataConfig d) {
        return switch (d.chatTemplate()) {
            case NONE -> null;
            case QWEN3 -> rift.tokenizer.ChatTemplate.qwen3(false);
            case QWEN3_NOTHINK -> rift.tokenizer.ChatTemplate.qwen3(true);
        };
    }

    static float[] host(rift.kernels.Tensor t) {
        return java.util.Arrays.copyOf(rift.kernels.cpu.CpuTensor.of(t), (int) t.numel());
    }

    /** Saves a checkpoint of the current state (plus the trainer's own cursor and loop state). */
    public Path save(int step, com.fasterxml.jackson.databind.JsonNode schedule, com.fasterxml.jackson.databind.JsonNode cursor,
                     java.util.Map<String, long[]> rngs, com.fasterxml.jackson.databind.JsonNode loopState) {
        var c = recipe.checkpoint();
        var contents = new CheckpointContents(master, c.saveOptimizer() ? OptimizerState.of(optimizer) : null, schedule, cursor,
                rngs, recipe.hash(), recipe.toYaml(), metrics.history(), loopState, tokenizerDir);
        return new CheckpointWriter(be, Retention.of(c)).write(runDir, step, contents);
    }

    /** Restores weights, optimizer and metrics from a checkpoint; the caller restores its cursor and RNGs. */
    public void restore(Checkpoint ck) {
        ck.requireRecipe(recipe.hash(), recipe.toYaml());
        CheckpointContents c = ck.contents();
        // the checkpoint was read on the host; upload works for every backend
        for (var e : master.named().entrySet()) be.upload(e.getValue(), host(c.weights().named().get(e.getKey())));
        if (master != model.weights)
            for (var e : model.weights.named().entrySet()) be.copy(e.getValue(), master.named().get(e.getKey()));
        if (c.optimizer() == null)
            throw new RiftException(ck.dir() + ": holds weights only (checkpoint.save_optimizer: false), so the run cannot resume exactly;"
                    + " start a new run from it with model.path: " + ck.dir());
        c.optimizer().restoreInto(optimizer, be);
        metrics.restore(c.metrics());
    }
}
