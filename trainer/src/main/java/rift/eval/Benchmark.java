package rift.eval;

import java.nio.file.Path;
import java.util.List;
import rift.eval.ti.BenchmarkGroup;
import rift.tokenizer.PromptTemplate;

/**
 * One benchmark of a suite.
 *
 * @param id            name in reports and score files (letters, digits, '.', '_', '-')
 * @param group         math, other (other reasoning) or non (non-reasoning), as the Transferability Index groups them
 * @param data          the data file as the suite wrote it
 * @param dataFile      that file resolved against the data root
 * @param fields        which record fields hold the id, reference, options and gold option
 * @param scorer        how outputs are scored (and which sub-metric is reported)
 * @param decoding      sampling settings (ignored by log-likelihood scorers)
 * @param prompt        the user message (or the whole prompt without chat), with {field} placeholders
 * @param chat          wrap the prompt in the model's chat template (Qwen3 ChatML)
 * @param emptyThink    with chat: write Qwen3's empty think block after the generation prompt
 * @param system        with chat: an optional system message (null for none)
 * @param choiceFormat  how {choice_list} renders each option, with {letter} and {choice}
 * @param stop          strings that end a response (cut from it)
 * @param limit         items to evaluate at most (seeded subset), or null for all
 * @param where         the suite file and line that defined the benchmark
 */
public record Benchmark(String id, BenchmarkGroup group, String data, Path dataFile, FieldMap fields, Scorer scorer,
                        Decoding decoding, PromptTemplate prompt, boolean chat, boolean emptyThink, String system,
                        String choiceFormat, List<String> stop, Integer limit, String where) {
    public Benchmark {
        stop = List.copyOf(stop);
    }

    public boolean generates() {
        return scorer instanceof GenerationScorer;
    }

    public Benchmark withDecoding(Decoding d) {
        return new Benchmark(id, group, data, dataFile, fields, scorer, d, prompt, chat, emptyThink, system, choiceFormat, stop, limit, where);
    }

    public Benchmark withChat(boolean c) {
        return new Benchmark(id, group, data, dataFile, fields, scorer, decoding, prompt, c, emptyThink, system, choiceFormat, stop, limit, where);
    }

    /** A stable 64-bit hash of the id (FNV-1a over its UTF-8 bytes): the benchmark's key in derived seeds. */
    public long idHash() {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
