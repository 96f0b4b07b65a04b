package rift.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import rift.kernels.RiftException;

/**
 * Single-thread encode throughput of a tokenizer over the string fields of a JSONL file (GSM8K
 * questions and answers, say): the number behind {@code rift bench tokenizer}.
 */
public final class TokenizerBench {
    private TokenizerBench() {}

    /**
     * @param texts strings encoded
     * @param bytes their UTF-8 size, per pass
     * @param tokens ids produced, per pass
     * @param passes timed passes over all texts
     * @param seconds wall time of the timed passes
     * @param cpuSeconds CPU time of the encoding thread over those passes (native work included), or
     *     NaN where the JVM cannot measure it; on a shared machine this is the steadier number
     */
    public record Result(int texts, long bytes, long tokens, int passes, double seconds, double cpuSeconds) {
        public double megabytesPerSecond() {
            return bytes * (double) passes / 1e6 / seconds;
        }

        /** Throughput per second of CPU time of the encoding thread. */
        public double megabytesPerCpuSecond() {
            return bytes * (double) passes / 1e6 / cpuSeconds;
        }

        public double tokensPerSecond() {
            return tokens * (double) passes / seconds;
        }

        public double bytesPerToken() {
            return tokens == 0 ? 0 : (double) bytes / tokens;
        }

        @Override
        public String toString() {
            return String.format("%d texts, %.2f MB, %d tokens (%.2f bytes/token); %d passes in %.2f s: %.2f MB/s, %.0f tokens/s"
                    + " (1 thread; %.2f MB per CPU-second)",
                    texts, bytes / 1e6, tokens, bytesPerToken(), passes, seconds, megabytesPerSecond(), tokensPerSecond(), megabytesPerCpuSecond());
        }
    }

    /**
     * Loads the tokenizer, reads the texts, encodes them once to warm up, then again in passes until
     * {@code minSeconds} have passed.
     *
     * @param tokenizer tokenizer.json or a model directory holding it
     * @param jsonl one JSON object per line; every string field is a text
     * @param maxTexts use at most this many texts (file order), 0 for all
     */
    public static Result run(Path tokenizer, Path jsonl, int maxTexts, double minSeconds) {
        List<String> texts = readTexts(jsonl, maxTexts);
        try (Tokenizer tok = Tokenizer.load(tokenizer)) {
            return run(tok, texts, minSeconds);
        }
    }

    /** Times {@code tok.encode} over {@code texts} (see {@link #run(Path, Path, int, double)}). */
    public static Result run(Tokenizer tok, List<String> texts, double minSeconds) {
        long bytes = 0, tokens = 0;
        for (String t : texts) {                                   // warm-up pass, also counts
            bytes += t.getBytes(StandardCharsets.UTF_8).length;
            tokens += tok.encode(t).length;
        }
        int passes = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuClock = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        long cpuStart = cpuClock ? threads.getCurrentThreadCpuTime() : 0;
        long start = System.nanoTime();
        long sink = 0;
        do {
            for (String t : texts) sink += tok.encode(t).length;
            passes++;
        } while ((System.nanoTime() - start) / 1e9 < minSeconds);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = cpuClock ? (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9 : Double.NaN;
        if (sink != tokens * passes) throw new IllegalStateException("encode is not deterministic: " + sink + " vs " + tokens * passes + " tokens");
        return new Result(texts.size(), bytes, tokens, passes, seconds, cpuSeconds);
    }

    /** Every string field of every line of a JSONL file, in file order. */
    public static List<String> readTexts(Path jsonl, int maxTexts) {
        ObjectMapper mapper = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) continue;
                JsonNode rec;
                try {
                    rec = mapper.readTree(line);
                } catch (JacksonException e) {
                    throw new RiftException(jsonl + " line " + lineNo + " is not JSON (" + e.getOriginalMessage() + "): the benchmark reads JSONL, one object per line");
                }
                for (Map.Entry<String, JsonNode> f : rec.properties()) {
                    if (!f.getValue().isTextual()) continue;
                    texts.add(f.getValue().asText());
                    if (maxTexts > 0 && texts.size() >= maxTexts) return texts;
                }
            }
        } catch (IOException e) {
            throw new RiftException("cannot read " + jsonl + " (" + e + "): check the path", e);
        }
        if (texts.isEmpty()) throw new RiftException(jsonl + " has no string fields to encode: give a JSONL file of text records");
        return texts;
    }
}
