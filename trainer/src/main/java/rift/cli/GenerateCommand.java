package rift.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rift.kernels.RiftException;
import rift.model.Decoder;
import rift.model.ModelIO;
import rift.model.Transformer;
import rift.rollout.Sampler;
import rift.tokenizer.Tokenizer;
import rift.util.Rng;

/** {@code rift generate DIR}: sample from any model directory in the Hugging Face layout. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Sample a continuation from a model directory (Hugging Face layout) with the KV-cache decoder.")
public final class GenerateCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "DIR", description = "Model directory (config.json, *.safetensors, tokenizer.json).")
    Path dir;

    @Option(names = "--prompt", description = "Prompt text (default: start from the BOS token).")
    String prompt = "";

    @Option(names = "--greedy", description = "Greedy decoding (argmax); same as --temperature 0.")
    boolean greedy;

    @Option(names = "--temperature", description = "Sampling temperature (default ${DEFAULT-VALUE}).")
    float temperature = 1.0f;

    @Option(names = "--top-k", description = "Keep the k most likely tokens (0 = off).")
    int topK = 0;

    @Option(names = "--top-p", description = "Nucleus sampling mass (1 = off).")
    float topP = 1.0f;

    @Option(names = "--min-p", description = "Drop tokens below min_p times the top probability (0 = off).")
    float minP = 0f;

    @Option(names = "--max-new-tokens", description = "Tokens to generate at most (default ${DEFAULT-VALUE}).")
    int maxNewTokens = 128;

    @Option(names = "--seed", description = "Sampling seed (default ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--ignore-eos", description = "Keep generating past end-of-sequence tokens (for parity checks).")
    boolean ignoreEos;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda, cuda-bf16 or auto (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--ids", description = "Print the generated token ids, space-separated, instead of text.")
    boolean ids;

    @Option(names = "--bos", negatable = true, description = "Prepend the BOS token (default: only when the prompt is empty "
            + "or the tokenizer config asks for it).")
    Boolean bos;

    @Override
    public void run() {
        if (!Files.isDirectory(dir)) throw new RiftException(dir + ": not a directory; give a model directory in the Hugging Face layout");
        if (maxNewTokens < 1) throw new RiftException("--max-new-tokens must be >= 1, got " + maxNewTokens);
        checkSampling(temperature, topK, topP, minP);
        Transformer model = ModelIO.load(dir, rift.kernels.Backends.create(device));
        Tokenizer tok = Files.exists(dir.resolve("tokenizer.json")) ? Tokenizer.load(dir) : null;
        if (tok == null && (!prompt.isEmpty() || !ids))
            throw new RiftException(dir + ": has no tokenizer.json, so only --ids with an empty prompt works");
        List<Integer> promptIds = new ArrayList<>();
        int bosId = model.config.bosTokenId();
        boolean addBos = bos != null ? bos : prompt.isEmpty() || addsBos(dir);
        if (addBos) {
            if (bosId < 0) throw new RiftException(dir + ": config.json has no bos_token_id to start from; give a --prompt");
            promptIds.add(bosId);
        }
        if (!prompt.isEmpty()) for (int id : tok.encode(prompt)) promptIds.add(id);
        int[] p = promptIds.stream().mapToInt(Integer::intValue).toArray();
        Sampler sampler = greedy ? Sampler.GREEDY : new Sampler(temperature, topK, topP, minP);
        int candidates = tok == null ? model.config.vocabSize() : Math.min(tok.vocabSize(), model.config.vocabSize());
        int[] out = generate(model, p, sampler, maxNewTokens, new Rng(seed), ignoreEos, candidates);
        if (ids) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < out.length; i++) sb.append(i == 0 ? "" : " ").append(out[i]);
            System.out.println(sb);
        } else {
            System.out.println(prompt + tok.decode(out));
        }
    }

    /** The sampling flags as the CLI names them, checked before the model loads (SamplingParams guards the same rules for code). */
    static void checkSampling(float temperature, int topK, float topP, float minP) {
        if (!(temperature >= 0 && Float.isFinite(temperature)))
            throw new RiftException("--temperature must be >= 0 (0 is greedy), got " + temperature);
        if (topK < 0) throw new RiftException("--top-k must be >= 0 (0 keeps every token), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new RiftException("--top-p must be in (0, 1] (1 keeps every token), got " + topP);
        if (!(minP >= 0 && minP < 1)) throw new RiftException("--min-p must be in [0, 1) (0 keeps every token), got " + minP);
    }

    /** Whether tokenizer_config.json asks for a BOS token in front of every prompt (Llama style). */
    static boolean addsBos(Path dir) {
        Path cfg = dir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(cfg)) return false;
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(cfg.toFile()).path("add_bos_token").asBoolean(false);
        } catch (java.io.IOException e) {
            throw new RiftException(cfg + ": not valid JSON (" + e.getMessage() + ")");
        }
    }

    /** Generates until an EOS id, max new tokens, or the end of the context. */
    static int[] generate(Transformer model, int[] prompt, Sampler sampler, int maxNew, Rng rng, boolean ignoreEos, int candidates) {
        int ctx = model.config.maxPositionEmbeddings();
        if (prompt.length >= ctx) throw new RiftException("the prompt has " + prompt.length + " tokens; the model's context is " + ctx);
        int budget = Math.min(maxNew, ctx - prompt.length + 1);
        // the KV cache holds the positions this run can feed (prefill wants one spare), not the model's
        // whole context: Qwen3's 40,960 positions would be gigabytes for a short generation
        Decoder dec = new Decoder(model, 1, prompt.length + budget);
        float[] logits = dec.prefill(new int[] {0}, new int[][] {prompt});
        int v = model.config.vocabSize();
        List<Integer> out = new ArrayList<>();
        while (true) {
            int next = sampler.sample(logits, 0, v, candidates, rng).token();
            out.add(next);
            if ((!ignoreEos && model.config.isEos(next)) || out.size() >= budget) break;
            logits = dec.step(new int[] {0}, new int[] {next});
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
