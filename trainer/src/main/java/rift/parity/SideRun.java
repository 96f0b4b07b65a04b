package rift.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rift.kernels.Backend;
import rift.kernels.RiftException;
import rift.kernels.Tensor;
import rift.model.TokenBatch;
import rift.model.Transformer;
import rift.model.Weights;
import rift.recipe.Recipe;
import rift.rollout.RolloutEngine;
import rift.rollout.Sampler;
import rift.train.GrpoTrainer;
import rift.train.RunContext;
import rift.train.SftTrainer;
import rift.util.Rng;

/**
 * One side of a parity run: the trainer's own code (RunContext, SftTrainer, GrpoTrainer, RolloutEngine,
 * Transformer) on one backend, driven from recipes that differ between the sides only in device and
 * storage type. Nothing of a training step is re-implemented here: the checks read what the trainers
 * leave behind (their step results, metrics lines, completion logs, gradients and master weights).
 *
 * @param device      the recipe's device (cpu or cuda)
 * @param bf16        model.dtype bf16 (bf16 storage with fp32 masters on a GPU)
 * @param datasetGrpo the GRPO step trains on the dataset's solutions (sampling: dataset, weight: one)
 *                    instead of its own samples; the same on both sides
 * @param perturb     applied to this side's initial weights, or null
 * @param bf16Start   round this side's initial weights to bf16 (the CPU oracle of a bf16 run): a bf16 device
 *                    computes with its initial weights rounded to bf16 (its fp32 masters keep them unrounded), so
 *                    the oracle computes with those same values and the checks measure the kernels, not that rounding
 */
record SideRun(String device, boolean bf16, boolean datasetGrpo, Perturbation perturb, boolean bf16Start) {
    static final int MAX_PROMPT_TOKENS = 128, MAX_SEQ_LEN = 256, MICRO_BATCH = 16;
    /** AdamW settings of both recipes (weight decay on, so AdamW's decoupled decay is compared too; clipping is active at this lr). */
    static final double LR = 5e-4, WEIGHT_DECAY = 0.1, GRAD_CLIP = 1.0, ADAM_EPS = 1e-8;

    SideResult run(ParityModel model, ParitySettings s, TestbedRecords records, Path dataFile, Path dir, List<RolloutEngine.Completion> toScore) {
        // 1. the SFT run's context: the initial model is also what the rollout and teacher-forced checks use
        RunContext ctx = new RunContext(recipe(sftYaml(model, s, dataFile, dir.resolve("sft")), dir, "sft"), dir.resolve("sft"));
        try {
            start(ctx);
            Map<String, float[]> w0 = host(ctx.master, ctx.be);
            List<RolloutEngine.Completion> rollout = rollout(ctx, records, s);
            float[] scored = toScore == null ? null : teacherForced(ctx.model, toScore);
            float[][] tf = teacherForcedSequences(ctx, records, s.sftBatch());
            SftTrainer sft = new SftTrainer(ctx, null);
            SftTrainer.StepResult first = sft.step();
            StepState sftStep = new StepState(w0, host(ctx.grads, ctx.be), host(ctx.master, ctx.be), first.gradNorm(), first.lr());
            double[] curve = new double[s.steps()];
            curve[0] = first.loss();
            for (int k = 1; k < s.steps(); k++) curve[k] = sft.step().loss();
            String backend = ctx.be.name();
            boolean storedBf16 = ctx.be.lowPrecisionStorage();
            close(ctx); // free the GPU memory before the next context (closing twice is harmless)

            // 2. one GRPO step from the same initial model, in a fresh context
            Path gdir = dir.resolve("grpo");
            RunContext g = new RunContext(recipe(grpoYaml(model, s, dataFile, gdir), dir, "grpo"), gdir);
            try {
                start(g);
                Map<String, float[]> g0 = host(g.master, g.be);
                ObjectNode line = new GrpoTrainer(g, null).step();
                if (line.path("skipped").asBoolean(false)) throw new RiftException("the GRPO step was skipped (no group with a reward signal)");
                StepState grpoStep = new StepState(g0, host(g.grads, g.be), host(g.master, g.be), line.path("grad_norm").asDouble(),
                        line.path("lr").asDouble());
                List<String> texts = new ArrayList<>();
                List<Double> rewards = new ArrayList<>();
                readCompletions(gdir.resolve("completions/step-1.jsonl"), texts, rewards);
                return new SideResult(backend, sftStep, first.loss(), curve, grpoStep, line.path("loss").asDouble(), line.path("entropy").asDouble(),
                        line.path("reward_std").asDouble(), texts, rewards.stream().mapToDouble(Double::doubleValue).toArray(), rollout, scored,
                        tf[0], tf[1], storedBf16);
            } finally {
                close(g);
            }
        } finally {
            close(ctx);
        }
    }

    /** The side's initial weights: perturbed and/or rounded to bf16 as the record says. */
    private void start(RunContext ctx) {
        if (perturb != null) perturb.apply(ctx);
        if (!bf16Start) return;
        for (var e : ctx.master.named().entrySet()) {
            Tensor t = e.getValue();
            ctx.be.upload(t, rift.kernels.cuda.Bf16.roundAll(ctx.be.download(t)));
            if (ctx.master != ctx.model.weights) ctx.be.copy(ctx.model.weights.named().get(e.getKey()), t);
        }
    }

    // ------------------------------------------------------------------ recipes

    private String modelYaml(ParityModel m) {
        return "model: {" + m.fields() + (bf16 ? ", dtype: bf16" : "") + "}\n";
    }

    private static String dataYaml(Path dataFile) {
        return "data:\n  train: [" + ParityModel.quoted(dataFile.toString()) + "]\n  format: jsonl\n"
                + "  fields: {prompt: prompt, solution: completion, answer: answer}\n"
                + "  max_prompt_tokens: " + MAX_PROMPT_TOKENS + "\n  max_seq_len: " + MAX_SEQ_LEN + "\n";
    }

    private String common(ParitySettings s, Path runDir) {
        return String.format(Locale.ROOT, "optim: {lr: %s, weight_decay: %s, grad_clip: %s, eps: %s}%n", LR, WEIGHT_DECAY, GRAD_CLIP, ADAM_EPS)
                + "seed: " + s.seed() + "\nrun_dir: " + ParityModel.quoted(runDir.toString()) + "\ndevice: " + device + "\n";
    }

    String sftYaml(ParityModel m, ParitySettings s, Path dataFile, Path runDir) {
        return "method: sft\n" + modelYaml(m) + dataYaml(dataFile) + "sft: {completion_only: true}\n"
                + String.format(Locale.ROOT, "schedule: {epochs: 1000, max_steps: %d, global_batch: %d, micro_batch: %d, warmup_steps: 0,"
                        + " lr_schedule: constant}%n", s.steps(), s.sftBatch(), s.sftBatch())
                + common(s, runDir);
    }

    String grpoYaml(ParityModel m, ParitySettings s, Path dataFile, Path runDir) {
        int M = s.maxNewTokens();
        // correctness alone gives all-zero groups on an untrained model; DAPO's overlong ramp over the whole budget
        // scores every completion length differently, so every group whose lengths differ carries a signal
        String rewards = "  rewards:\n    - {name: correctness}\n    - {name: overlong, buffer_len: " + (M - 1) + ", penalty_factor: 1.0}\n";
        return "method: grpo\n" + modelYaml(m) + dataYaml(dataFile) + "grpo:\n"
                + "  num_generations: " + s.samples() + "\n  temperature: 1.0\n  max_new_tokens: " + M + "\n" + rewards
                + "  verifier_mode: math\n  scale_rewards: group\n  dynamic_sampling: false\n  mask_truncated_completions: false\n"
                + "  epsilon_low: 0.2\n  epsilon_high: 0.28\n  loss_agg: token-mean\n  beta: 0.0\n  mu: 1\n  log_completions: true\n"
                + (datasetGrpo ? "  sampling: dataset\n  weight: one\n" : "")
                + String.format(Locale.ROOT, "schedule: {epochs: 1000, max_steps: 1, global_batch: %d, micro_batch: %d, warmup_steps: 0,"
                        + " lr_schedule: constant}%n", s.prompts(), s.prompts() * s.samples())
                + common(s, runDir);
    }

    private static Recipe recipe(String yaml, Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve(name + ".yaml");
            Files.writeString(f, yaml, StandardCharsets.UTF_8);
            return Recipe.load(f, List.of());
        } catch (IOException e) {
            throw new RiftException(dir + ": cannot write the parity recipe (" + e.getMessage() + ")");
        }
    }

    // ------------------------------------------------------------------ checks on the initial model

    /** prompts x samples completions at temperature 1, each from its own seeded stream (as GRPO samples). */
    private static List<RolloutEngine.Completion> rollout(RunContext ctx, TestbedRecords records, ParitySettings s) {
        int slots = Math.min(s.prompts() * s.samples(), 64);
        RolloutEngine engine = new RolloutEngine(ctx.model, slots, MAX_SEQ_LEN).limitToTokenizer(ctx.tokenizer.vocabSize());
        List<RolloutEngine.Request> reqs = new ArrayList<>();
        for (int i = 0; i < s.prompts(); i++) {
            int[] prompt = ctx.tokenizer.encode(records.prompts().get(i));
            for (int k = 0; k < s.samples(); k++) reqs.add(new RolloutEngine.Request(prompt, Rng.derive(s.seed(), 7919, i, k)));
        }
        return engine.generate(reqs, new Sampler(1f, 0, 1f, 0f), s.maxNewTokens(), null);
    }

    /** Log-probs (temperature 1) of each completion's tokens given its prompt, flattened in order. */
    static float[] teacherForced(Transformer m, List<RolloutEngine.Completion> comps) {
        List<Float> out = new ArrayList<>();
        for (int c0 = 0; c0 < comps.size(); c0 += MICRO_BATCH) {
            List<RolloutEngine.Completion> part = comps.subList(c0, Math.min(comps.size(), c0 + MICRO_BATCH));
            List<int[]> seqs = new ArrayList<>();
            int n = 0;
            for (var c : part) n += c.prompt().length + c.tokens().length - 1;
            int[] targets = new int[n];
            Arrays.fill(targets, -1);
            int at = 0;
            for (var c : part) {
                int p = c.prompt().length, len = c.tokens().length;
                int[] seq = Arrays.copyOf(c.prompt(), p + len - 1);
                System.arraycopy(c.tokens(), 0, seq, p, len - 1);
                for (int t = 0; t < len; t++) targets[at + p - 1 + t] = c.tokens()[t];
                seqs.add(seq);
                at += seq.length;
            }
            float[] lp = m.forwardNoGrad(TokenBatch.of(seqs), targets, false, false).logp();
            for (int i = 0; i < n; i++) if (targets[i] >= 0) out.add(lp[i]);
        }
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) a[i] = out.get(i);
        return a;
    }

    /** Teacher-forced next-token log-probs and entropies over prompt + completion + EOS of the first records. */
    private static float[][] teacherForcedSequences(RunContext ctx, TestbedRecords records, int count) {
        int eos = ctx.tokenizer.eosId().orElseThrow(() -> new RiftException("the parity model's tokenizer names no EOS token"));
        List<int[]> seqs = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < count && i < records.prompts().size(); i++) {
            int[] p = ctx.tokenizer.encode(records.prompts().get(i)), c = ctx.tokenizer.encode(records.completions().get(i));
            int[] seq = Arrays.copyOf(p, Math.min(MAX_SEQ_LEN, p.length + c.length + 1));
            for (int t = p.length; t < seq.length; t++) seq[t] = t - p.length < c.length ? c[t - p.length] : eos;
            seqs.add(seq);
            n += seq.length;
        }
        int[] targets = new int[n];
        int at = 0, scored = 0;
        for (int[] seq : seqs) {
            for (int t = 0; t < seq.length; t++) targets[at + t] = t + 1 < seq.length ? seq[t + 1] : -1;
            at += seq.length;
            scored += seq.length - 1;
        }
        Transformer.Pass pass = ctx.model.forwardNoGrad(TokenBatch.of(seqs), targets, true, false);
        float[] lp = new float[scored], ent = new float[scored];
        for (int i = 0, j = 0; i < n; i++)
            if (targets[i] >= 0) {
                lp[j] = pass.logp()[i];
                ent[j++] = pass.entropy()[i];
            }
        return new float[][] {lp, ent};
    }

    // ------------------------------------------------------------------ plumbing

    static Map<String, float[]> host(Weights w, Backend be) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : w.named().entrySet()) out.put(e.getKey(), be.download(e.getValue()));
        return out;
    }

    private static void readCompletions(Path file, List<String> texts, List<Double> rewards) {
        ObjectMapper json = new ObjectMapper();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                JsonNode n = json.readTree(line);
                texts.add(n.path("finish").asText() + "|" + n.path("tokens").asInt() + "|" + n.path("completion").asText());
                rewards.add(n.path("reward").asDouble());
                rewards.add(n.path("advantage").asDouble());
            }
        } catch (IOException e) {
            throw new RiftException(file + ": cannot read the GRPO step's completions (" + e.getMessage() + ")");
        }
    }

    /** Frees a GPU backend's memory now (a parity run builds several contexts); a no-op on the CPU. */
    private static void close(RunContext ctx) {
        if (ctx.be instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the " + ctx.be.name() + " backend failed", e);
            }
        }
    }
}
