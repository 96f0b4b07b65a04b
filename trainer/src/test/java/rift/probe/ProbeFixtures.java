package rift.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import rift.eval.Suite;
import rift.eval.SuiteLoader;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.kernels.cpu.CpuBackend;
import rift.model.ModelConfig;
import rift.model.Transformer;
import rift.model.Weights;
import rift.testbed.TestbedVocab;
import rift.tokenizer.Tokenizer;
import rift.util.Rng;

/**
 * Tiny models, the testbed tokenizer and a three-benchmark suite (one per group, one of them chat-formatted)
 * over small constructed data files, for the probe tests.
 */
public final class ProbeFixtures {
    private ProbeFixtures() {}

    public static final Backend BE = new CpuBackend();

    /** A 2-layer Qwen3-shaped model over the testbed vocabulary, untied (so the LM head can change alone). */
    public static ModelConfig config() {
        TestbedVocab v = TestbedVocab.standard();
        return new ModelConfig(ModelConfig.Arch.QWEN3, v.size(), 16, 2, 2, 1, 8, 32, 1e6, 1e-6f, false, 512, null, false, false, -1,
                new int[] {v.id(TestbedVocab.IM_END), v.id(TestbedVocab.END_OF_TEXT)}, 0, 0.5);
    }

    public static Transformer model(ModelConfig c, long seed) {
        return new Transformer(c, Weights.random(c, BE, seed), BE);
    }

    /** Writes tokenizer.json and tokenizer_config.json (EOS = PAD = end of text) into dir. */
    public static void writeTokenizer(Path dir) throws IOException {
        TestbedVocab v = TestbedVocab.standard();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tokenizer.json"), v.tokenizerJson());
        Files.writeString(dir.resolve("tokenizer_config.json"), v.tokenizerConfigJson());
    }

    /** Adds scale · N(0, 1) (a fixed seeded direction) to one tensor of w. */
    public static void perturb(Weights w, Tensor t, double scale, long seed) {
        float[] vals = BE.download(t);
        Rng rng = new Rng(seed);
        for (int i = 0; i < vals.length; i++) vals[i] += (float) (scale * rng.nextGaussian());
        BE.upload(t, vals);
    }

    /** Multiplies every entry of t by s. */
    public static void scale(Tensor t, float s) {
        float[] vals = BE.download(t);
        for (int i = 0; i < vals.length; i++) vals[i] *= s;
        BE.upload(t, vals);
    }

    static final List<String> MATH = List.of(
            "{\"problem\": \"Ann has 3 apples and buys 4 more. How many apples does she have?\", \"solution\": \"She has 3 + 4 = 7 apples.\", \"answer\": \"7\"}",
            "{\"problem\": \"What is 12 minus 5?\", \"solution\": \"12 - 5 = 7.\", \"answer\": \"7\"}",
            "{\"problem\": \"A box holds 6 pens. How many pens are in 2 boxes?\", \"solution\": \"2 * 6 = 12 pens.\", \"answer\": \"12\"}",
            "{\"problem\": \"Bob reads 9 pages a day for 3 days. How many pages?\", \"solution\": \"9 * 3 = 27.\", \"answer\": \"27\"}",
            "{\"problem\": \"What is 8 plus 15?\", \"solution\": \"8 + 15 = 23.\", \"answer\": \"23\"}",
            "{\"problem\": \"Half of 40 is what number?\", \"solution\": \"40 / 2 = 20.\", \"answer\": \"20\"}");

    static final List<String> OTHER = List.of(
            "{\"question\": \"Which list is sorted?\", \"choices\": [\"3 1 2\", \"1 2 3\", \"2 3 1\"], \"answer\": 1}",
            "{\"question\": \"What comes after Monday?\", \"choices\": [\"Tuesday\", \"Sunday\"], \"answer\": 0}",
            "{\"question\": \"Which is a color?\", \"choices\": [\"seven\", \"table\", \"green\"], \"answer\": 2}",
            "{\"question\": \"Which number is largest?\", \"choices\": [\"4\", \"9\", \"2\", \"6\"], \"answer\": 1}",
            "{\"question\": \"Which word is a verb?\", \"choices\": [\"run\", \"blue\"], \"answer\": 0}");

    static final List<String> NON = List.of(
            "{\"prompt\": \"Write the word hello in capital letters.\", \"answer\": \"HELLO\"}",
            "{\"prompt\": \"Name a fruit that is red.\", \"answer\": \"apple\"}",
            "{\"prompt\": \"Repeat after me: the cat sat on the mat.\", \"answer\": \"the cat sat on the mat\"}",
            "{\"prompt\": \"Say yes or no: is the sky green?\", \"answer\": \"no\"}",
            "{\"prompt\": \"Give one word for a young dog.\", \"answer\": \"puppy\"}");

    /** Writes the data files and the suite into dir and loads the suite. */
    public static Suite suite(Path dir, int maxNewTokens) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("math.jsonl"), MATH);
        Files.write(dir.resolve("other.jsonl"), OTHER);
        Files.write(dir.resolve("non.jsonl"), NON);
        String yaml = """
                name: probe-test
                data_root: "%s"
                defaults:
                  decoding: {temperature: 0, top_p: 1, max_new_tokens: %d, samples: 1}
                benchmarks:
                  - id: arith
                    group: math
                    data: math.jsonl
                    fields: {reference: answer}
                    prompt: "Problem: {problem}\\nAnswer:"
                    scorer: boxed_math
                  - id: pick
                    group: other
                    data: other.jsonl
                    fields: {choices: choices, gold: answer}
                    prompt: "{question}\\n{choice_list}\\nAnswer:"
                    scorer: letter_choice
                    chat: true
                  - id: say
                    group: non
                    data: non.jsonl
                    fields: {reference: answer}
                    prompt: "{prompt}"
                    scorer: exact_match
                """.formatted(dir.toAbsolutePath().toString().replace("\\", "/"), maxNewTokens);
        Path file = dir.resolve("probe-test.yaml");
        Files.writeString(file, yaml);
        return SuiteLoader.load(file, dir, null);
    }

    public static Tokenizer tokenizer(Path dir) {
        return Tokenizer.load(dir);
    }
}
