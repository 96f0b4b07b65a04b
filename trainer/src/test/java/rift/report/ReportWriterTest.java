package rift.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.eval.ti.BenchmarkGroup;
import rift.kernels.RiftException;

class ReportWriterTest {
    @TempDir
    static Path shared;

    /** One full report (with SVG) written once and read by several tests; writing it is the slow part. */
    static Path full;

    @BeforeAll
    static void writeFullReport() {
        full = shared.resolve("full");
        ReportWriter.write(full, SyntheticReport.data(true));
        // -Drift.report.sample=DIR keeps a copy to look at
        String sample = System.getProperty("rift.report.sample");
        if (sample != null) ReportWriter.write(Path.of(sample), SyntheticReport.data(true));
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static List<Path> files(Path dir, String ext) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(ext)).sorted().toList();
        }
    }

    @Test
    void writesHtmlMarkdownAndDecodablePngsAndSvgs() throws IOException {
        assertTrue(Files.isRegularFile(full.resolve("index.html")));
        assertTrue(Files.isRegularFile(full.resolve("report.md")));
        List<Path> pngs = files(full.resolve("img"), ".png");
        // 2 score charts, TI, 2 + 7 curves (sft: loss grad_norm lr; grpo: + reward accuracy entropy completion_length),
        // URIAL, histogram, 2 PCA
        List<String> names = pngs.stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(17, pngs.size(), names.toString());
        for (String expected : List.of("scores-groups.png", "scores-benchmarks.png", "ti.png", "rank-urial.png",
                "rank-histogram.png", "pca-1-math500.png", "pca-2-ifeval.png", "curve-2-grpo-reward.png", "curve-1-sft-loss.png")) {
            assertTrue(names.contains(expected), expected + " in " + names);
        }
        for (Path p : pngs) {
            BufferedImage img = ImageIO.read(p.toFile());
            assertNotNull(img, p + " decodes");
            assertTrue(img.getWidth() >= 500 && img.getHeight() >= 300, p + " is " + img.getWidth() + "x" + img.getHeight());
        }
        List<Path> svgs = files(full.resolve("img"), ".svg");
        assertEquals(pngs.size(), svgs.size());
        for (Path p : svgs) {
            String svg = read(p);
            assertTrue(svg.startsWith("<?xml") && svg.contains("<svg") && svg.strip().endsWith("</svg>"), p.toString());
        }
        String md = read(full.resolve("report.md"));
        assertFalse(md.contains("Plot problems"), "no figure failed:\n" + md);
        try (Stream<Path> s = Files.list(shared)) {
            assertEquals(List.of("full"), s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("det")
                    && !n.startsWith("min") && !n.startsWith("atomic")).toList(), "no temporary folders are left");
        }
    }

    @Test
    void htmlAndMarkdownReferenceOnlyFilesThatExist() {
        String html = read(full.resolve("index.html"));
        assertFalse(html.toLowerCase().contains("<script"), "no JavaScript");
        assertFalse(html.contains("http://") || html.contains("https://"), "no network references");
        List<String> refs = new ArrayList<>();
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        while (m.find()) refs.add(m.group(1));
        assertTrue(refs.size() >= 34, "17 images and 17 SVG links: " + refs);
        for (String r : refs) {
            if (r.startsWith("#")) {
                assertTrue(html.contains("id=\"" + r.substring(1) + "\""), "anchor " + r);
            } else {
                assertFalse(r.contains(":") || r.startsWith("/") || r.contains(".."), "relative path " + r);
                assertTrue(Files.isRegularFile(full.resolve(r)), "html references missing " + r);
            }
        }
        String md = read(full.resolve("report.md"));
        Matcher l = Pattern.compile("\\]\\(([^)]*)\\)").matcher(md);
        int links = 0;
        while (l.find()) {
            links++;
            assertTrue(Files.isRegularFile(full.resolve(l.group(1))), "markdown references missing " + l.group(1));
        }
        assertEquals(34, links);
    }

    /** The summary table's cells, by arm and column, parsed from report.md. */
    static Map<String, Map<String, String>> summaryTable(String md) {
        String[] lines = md.split("\n");
        int start = -1;
        for (int i = 0; i < lines.length; i++) if (lines[i].equals("## Summary")) start = i;
        assertTrue(start >= 0, "has a Summary section");
        int h = start + 1;
        while (!lines[h].startsWith("|")) h++;
        List<String> header = cells(lines[h]);
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (int i = h + 2; i < lines.length && lines[i].startsWith("|"); i++) {
            List<String> c = cells(lines[i]);
            Map<String, String> row = new TreeMap<>();
            for (int k = 0; k < header.size(); k++) row.put(header.get(k), c.get(k));
            out.put(c.getFirst(), row);
        }
        return out;
    }

    static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        for (String c : line.substring(1, line.length() - 1).split(" \\|")) out.add(c.strip().replaceAll("\\\\(\\p{Punct})", "$1"));
        return out;
    }

    /** mean and sample s.d. of "12.3 ± 0.4" (s.d. 0 when the cell is one value). */
    static double[] parse(String cell) {
        String[] p = cell.split(" ± ");
        return new double[] {Double.parseDouble(p[0]), p.length == 2 ? Double.parseDouble(p[1]) : 0};
    }

    static void assertCell(double expectedMean, double expectedSd, String cell, int decimals, String what) {
        double[] got = parse(cell);
        double tol = 0.5 * Math.pow(10, -decimals) + 1e-9;
        assertEquals(expectedMean, got[0], tol, what + " mean in '" + cell + "'");
        assertEquals(expectedSd, got[1], tol, what + " s.d. in '" + cell + "'");
    }

    static double[] meanSd(List<Double> v) {
        double m = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double ss = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
        return new double[] {m, v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0};
    }

    @Test
    void markdownSummaryNumbersEqualTheInputs() {
        ReportData d = SyntheticReport.data(true);
        Map<String, Map<String, String>> table = summaryTable(read(full.resolve("report.md")));
        assertEquals(List.of("base", "grpo", "sft"), List.copyOf(table.keySet()));
        for (String arm : List.of("base", "sft", "grpo")) {
            for (BenchmarkGroup g : BenchmarkGroup.values()) {
                // group score of a seed = mean of its benchmark scores in the group, then mean ± s.d. over seeds
                Map<Integer, List<Double>> bySeed = new TreeMap<>();
                d.scores().stream().filter(s -> s.arm().equals(arm) && s.group() == g)
                        .forEach(s -> bySeed.computeIfAbsent(s.seed(), k -> new ArrayList<>()).add(s.score()));
                List<Double> perSeed = bySeed.values().stream().map(l -> l.stream().mapToDouble(Double::doubleValue).average().orElseThrow()).toList();
                double[] e = meanSd(perSeed);
                assertCell(e[0], e[1], table.get(arm).get(g.label() + " (%)"), 1, arm + " " + g.label());
            }
            if (arm.equals("base")) continue;
            double[] tiO = meanSd(d.ti().stream().filter(t -> t.arm().equals(arm)).map(TiResult::tiOther).toList());
            double[] tiN = meanSd(d.ti().stream().filter(t -> t.arm().equals(arm)).map(TiResult::tiNon).toList());
            assertCell(tiO[0], tiO[1], table.get(arm).get("TI_other"), 1, arm + " TI_other");
            assertCell(tiN[0], tiN[1], table.get(arm).get("TI_non"), 1, arm + " TI_non");
            Map<Integer, List<Double>> kl = new TreeMap<>(), pca = new TreeMap<>();
            d.probes().stream().filter(p -> p.arm().equals(arm)).forEach(p -> {
                kl.computeIfAbsent(p.seed(), k -> new ArrayList<>()).add(p.tokenKl());
                pca.computeIfAbsent(p.seed(), k -> new ArrayList<>()).add(p.pcaDistance());
            });
            double[] eKl = meanSd(kl.values().stream().map(l -> l.stream().mapToDouble(Double::doubleValue).average().orElseThrow()).toList());
            double[] ePca = meanSd(pca.values().stream().map(l -> l.stream().mapToDouble(Double::doubleValue).average().orElseThrow()).toList());
            assertCell(eKl[0], eKl[1], table.get(arm).get("token KL"), 3, arm + " token KL");
            assertCell(ePca[0], ePca[1], table.get(arm).get("PCA d"), 2, arm + " PCA d");
        }
        assertTrue(table.get("grpo").get("TI_non").startsWith("+"), "a positive TI is written with its sign");
    }

    @Test
    void directionSentenceInTheReportComesFromTheNumbers() {
        String md = read(full.resolve("report.md"));
        assertTrue(md.contains("**Paper's direction (RL transfers, SFT drifts): holds in this data (4 of 4 checks agree).**"), md);
        // grpo TI_non seeds 13.3, 14.3, 15.3 -> 14.3; sft -41.6, -43.1, -44.6 -> -43.1
        assertTrue(md.contains("TI_non: grpo +14.3 vs sft -43.1 -> agrees with the paper"), md);
    }

    @Test
    void sameDataGivesSameBytes() throws IOException {
        ReportData d = SyntheticReport.data(true);
        Path a = shared.resolve("det-a"), b = shared.resolve("det-b");
        ReportWriter.write(a, d, new ReportWriter.Options(true));
        ReportWriter.write(b, SyntheticReport.data(true), new ReportWriter.Options(true));
        for (String f : List.of("index.html", "report.md")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
            assertArrayEquals(Files.readAllBytes(full.resolve(f)), Files.readAllBytes(a.resolve(f)), f + " against the first report");
        }
        List<Path> imgs = files(a.resolve("img"), "");
        assertEquals(34, imgs.size());
        for (Path p : imgs) {
            // one machine, one JVM: the charts are pixel- and byte-identical too
            assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(b.resolve("img").resolve(p.getFileName())), p.toString());
        }
    }

    @Test
    void emptyOptionalSectionsRenderWithoutErrors() {
        Path dir = shared.resolve("min");
        ReportWriter.write(dir, SyntheticReport.data(true, false, false, false), new ReportWriter.Options(false));
        String md = read(dir.resolve("report.md"));
        assertTrue(md.contains("No probe results in this run"), md);
        assertTrue(md.contains("No TI results in this run."), md);
        assertTrue(md.contains("No training logs in this run."), md);
        assertTrue(md.contains("not assessed"), md);
        assertFalse(md.contains("Plot problems"), md);
        assertTrue(Files.isRegularFile(dir.resolve("img/scores-groups.png")));
        assertFalse(Files.exists(dir.resolve("img/scores-groups.svg")), "SVG off");
        String html = read(dir.resolve("index.html"));
        assertTrue(html.contains("n/a") || html.contains("—"));
    }

    @Test
    void aFailedWriteLeavesTheEarlierReportWhole() throws IOException {
        Path dir = shared.resolve("atomic");
        ReportData small = SyntheticReport.data(true, false, false, false);
        ReportWriter.write(dir, small, new ReportWriter.Options(false));
        byte[] before = Files.readAllBytes(dir.resolve("report.md"));
        assertThrows(IllegalStateException.class, () -> ReportWriter.write(dir, SyntheticReport.data(false, true, false, false),
                new ReportWriter.Options(false), () -> { throw new IllegalStateException("crash before the rename"); }));
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("report.md")));
        try (Stream<Path> s = Files.list(shared)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".partial-") || p.getFileName().toString().contains(".old-")),
                    "temporary folders removed");
        }
        // a second successful write replaces the report
        ReportWriter.write(dir, SyntheticReport.data(false, true, false, false), new ReportWriter.Options(false));
        String flipped = read(dir.resolve("report.md"));
        assertTrue(flipped.contains("| TI_other |"));
        // the flipped numbers flip the written sentence too
        assertTrue(flipped.contains("does not hold in this data (0 of 2 checks agree)"), flipped);
        assertTrue(flipped.contains("TI_non: grpo -43.1 vs sft +14.3 -> disagrees with the paper"), flipped);
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("report.md"))));
    }

    @Test
    void refusesToReplaceAFolderThatIsNotAReport(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("mine");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        RiftException e = assertThrows(RiftException.class, () -> ReportWriter.write(dir, SyntheticReport.data(true, false, false, false),
                new ReportWriter.Options(false)));
        assertTrue(e.getMessage().contains("holds no earlier report"), e.getMessage());
        assertEquals("keep me", Files.readString(dir.resolve("notes.txt")));
    }
}
