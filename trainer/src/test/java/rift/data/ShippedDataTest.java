package rift.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import rift.TestPaths;

/**
 * The files in the repository's data/ folder: each is gzip of the upstream bytes its SOURCE.md names
 * (sha256 of the uncompressed bytes), holds the record count SOURCE.md states, and reads cleanly.
 */
class ShippedDataTest {
    /** A SOURCE.md line: - `train.jsonl.gz`: 7,473 records; original `train.jsonl` 4,166,206 bytes, sha256 HEX; ... */
    private static final Pattern ENTRY = Pattern.compile(
            "`([\\w.]+\\.jsonl\\.gz)`: ([\\d,]+) records; original `([\\w.]+)` ([\\d,]+) bytes, sha256 ([0-9a-f]{64})");

    static final java.util.Set<String> MATH_SETS = java.util.Set.of("gsm8k", "math", "math500", "aime24", "olympiadbench");

    record Entry(Path file, long records, String original, long bytes, String sha256) {}

    static Path dataDir() {
        return TestPaths.repoRoot().resolve("data");
    }

    static List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(dataDir())) {
            // the math sets this layer ships; eval sets, the testbed and tokenizers have tests of their own
            for (Path dir : dirs.filter(d -> MATH_SETS.contains(d.getFileName().toString())).sorted().toList()) {
                String source = Files.readString(dir.resolve("SOURCE.md"));
                Matcher m = ENTRY.matcher(source);
                while (m.find())
                    out.add(new Entry(dir.resolve(m.group(1)), num(m.group(2)), m.group(3), num(m.group(4)), m.group(5)));
            }
        }
        return out;
    }

    private static long num(String s) {
        return Long.parseLong(s.replace(",", ""));
    }

    static byte[] gunzip(Path gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void everyShippedFileIsDescribedAndMatchesItsSourceMd() throws Exception {
        List<Entry> entries = entries();
        List<Path> described = entries.stream().map(Entry::file).sorted().toList();
        List<Path> present;
        try (Stream<Path> s = Files.walk(dataDir())) {
            present = s.filter(p -> p.toString().endsWith(".gz") && MATH_SETS.contains(dataDir().relativize(p).getName(0).toString()))
                    .sorted().toList();
        }
        assertEquals(present, described, "every data/**/*.gz has exactly one line in its folder's SOURCE.md");
        assertEquals(6, entries.size(), "gsm8k train+test, math train, math500, aime24, olympiadbench");
        for (Entry e : entries) {
            byte[] raw = gunzip(e.file());
            assertEquals(e.bytes(), raw.length, e.file() + " uncompressed size");
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
            assertEquals(e.sha256(), sha, e.file() + " sha256 of the uncompressed bytes");
            long lines = 0;
            for (byte b : raw) if (b == '\n') lines++;
            assertEquals(e.records(), lines, e.file() + " one record per line");
        }
    }

    @Test
    void shippedFilesAreTheSharedOriginalsByteForByte() throws Exception {
        Path shared = TestPaths.data("math");
        String[][] pairs = {
            {"gsm8k/train.jsonl.gz", "gsm8k/train.jsonl"}, {"gsm8k/test.jsonl.gz", "gsm8k/test.jsonl"},
            {"math/train.jsonl.gz", "math_hendrycks/train.jsonl"}, {"math500/test.jsonl.gz", "math500/test.jsonl"},
            {"aime24/test.jsonl.gz", "qwen25_math_eval/aime24.test.jsonl"},
            {"olympiadbench/test.jsonl.gz", "qwen25_math_eval/olympiadbench.test.jsonl"},
        };
        for (String[] p : pairs)
            assertArrayEquals(Files.readAllBytes(shared.resolve(p[1])), gunzip(dataDir().resolve(p[0])), p[0]);
    }

    @Test
    void dataFolderStaysSmall() throws IOException {
        long total;
        try (Stream<Path> s = Files.walk(dataDir())) {
            total = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(total < 6L << 20, "data/ is " + total + " bytes; keep it small (the tree travels in 64 MiB)");
    }

    @Test
    void eachShippedFileReadsWithItsFormatAndTheSourceMdCount() throws Exception {
        for (Entry e : entries()) {
            String folder = e.file().getParent().getFileName().toString();
            DataSpec spec = switch (folder) {
                case "gsm8k" -> DataSpec.of(DataSpec.Format.GSM8K, e.file());
                case "olympiadbench" -> DataSpec.of(DataSpec.Format.JSONL, e.file())
                        .withFields(new DataSpec.Fields("question", "final_answer", "solution"));
                default -> DataSpec.of(DataSpec.Format.MATH, e.file());
            };
            MathReader.Result r = MathReader.read(spec.withRequireSolution(true));
            assertEquals(e.records(), r.report().records(), e.file().toString());
            // MATH train: two records whose answer is an empty \boxed{} (its SOURCE.md says so)
            long empty = folder.equals("math") ? 2 : 0;
            assertEquals(empty, r.report().empty(), e.file().toString());
            assertEquals(e.records() - empty, r.examples().size(), e.file() + ": every other record is usable");
            assertEquals(0, r.report().skipped());
            for (MathExample x : r.examples()) {
                assertFalse(x.prompt().isBlank());
                assertFalse(x.answer().isBlank());
                assertFalse(x.solution().isBlank());
            }
        }
    }
}
