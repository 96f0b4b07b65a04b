package rift.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import rift.kernels.RiftException;
import rift.report.Charts.ChartSpec;
import rift.report.Doc.Figure;
import rift.report.ReportDocument.Figures;

/**
 * Writes the experiment report: {@code index.html} (self-contained: inline CSS, no scripts, images as relative
 * files), {@code report.md} (the same blocks as Markdown) and {@code img/*.png} plus {@code img/*.svg} charts.
 *
 * <p>The whole folder is first written under a temporary name beside the target and then renamed into place,
 * so a crash leaves either the previous report or the new one, never half of one. The Markdown and HTML are
 * byte-for-byte the same for the same data; the PNGs are too on one machine (font rendering can differ
 * between machines).
 */
public final class ReportWriter {
    static {
        // charts are drawn off-screen; without this, AWT may look for a display
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** The report's files inside the report folder. */
    public static final String HTML = "index.html", MARKDOWN = "report.md", IMAGES = "img";

    /**
     * @param svg write each chart as SVG too (vector, text as outlines; about 100 KB a chart)
     */
    public record Options(boolean svg) {
        public static final Options DEFAULT = new Options(true);
    }

    private ReportWriter() {}

    /** Writes the report into {@code reportDir} (created, or replaced if it holds an earlier report). */
    public static void write(Path reportDir, ReportData data) {
        write(reportDir, data, Options.DEFAULT);
    }

    public static void write(Path reportDir, ReportData data, Options options) {
        write(reportDir, data, options, () -> {});
    }

    /** As {@link #write(Path, ReportData, Options)}; {@code beforeCommit} runs just before the rename (tests). */
    static void write(Path reportDir, ReportData data, Options options, Runnable beforeCommit) {
        Summary summary = Summary.of(data);
        Path target = reportDir.toAbsolutePath().normalize();
        checkReplaceable(target);
        Path parent = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = freshSibling(target, ".partial-");
            Files.createDirectory(tmp);
            Files.createDirectory(tmp.resolve(IMAGES));
            Figures figures = drawFigures(summary, tmp.resolve(IMAGES), options);
            Doc doc = ReportDocument.build(summary, figures);
            Files.writeString(tmp.resolve(HTML), HtmlRenderer.render(doc), StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve(MARKDOWN), MarkdownRenderer.render(doc), StandardCharsets.UTF_8);
            beforeCommit.run();
            commit(tmp, target);
            tmp = null;
        } catch (IOException e) {
            throw new RiftException("report " + target + ": cannot write (" + e + "); check that the folder's parent"
                    + " is writable and has free space", e);
        } finally {
            if (tmp != null) deleteTree(tmp);
        }
    }

    /** Refuses to replace a folder that is not an earlier report, so a wrong path cannot wipe someone's files. */
    private static void checkReplaceable(Path target) {
        if (!Files.exists(target)) return;
        if (!Files.isDirectory(target)) {
            throw new RiftException("report " + target + ": exists and is not a folder; choose a new folder for the report");
        }
        try (Stream<Path> entries = Files.list(target)) {
            boolean empty = entries.findAny().isEmpty();
            if (!empty && !(Files.isRegularFile(target.resolve(HTML)) && Files.isRegularFile(target.resolve(MARKDOWN)))) {
                throw new RiftException("report " + target + ": folder exists, is not empty and holds no earlier report ("
                        + HTML + " and " + MARKDOWN + "); choose an empty or new folder, the report replaces the whole folder");
            }
        } catch (IOException e) {
            throw new RiftException("report " + target + ": cannot list the existing folder (" + e + ")", e);
        }
    }

    /** Moves the finished folder into place; an earlier report is moved aside first and deleted after. */
    private static void commit(Path tmp, Path target) throws IOException {
        if (!Files.exists(target)) {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Path old = freshSibling(target, ".old-");
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE); // put the earlier report back
            throw e;
        }
        deleteTree(old);
    }

    /**
     * An unused hidden name beside the target, on the same file system so that the rename is atomic. Not
     * Files.createTempDirectory: its owner-only permissions would stay on the renamed report folder.
     */
    private static Path freshSibling(Path target, String tag) {
        String base = "." + target.getFileName() + tag + ProcessHandle.current().pid() + "-";
        for (long n = System.nanoTime(); ; n++) {
            Path p = target.resolveSibling(base + Long.toHexString(n));
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return p;
        }
    }

    // ---------------------------------------------------------------- figures

    private static Figures drawFigures(Summary s, Path imgDir, Options options) throws IOException {
        String fontProblem = FontCheck.problem();
        if (fontProblem != null) {
            return Figures.none("No plots were drawn: " + fontProblem + ". The tables above hold every number; to get"
                    + " the plots, " + FontCheck.FIX + ".");
        }
        List<String> problems = new ArrayList<>();
        Map<String, List<ChartSpec>> specs = new LinkedHashMap<>();
        specs.put("scores", build(problems, "score charts", () -> s.benchmarks.isEmpty() ? List.of()
                : List.of(Charts.groupScores(s), Charts.benchmarkScores(s))));
        specs.put("ti", build(problems, "TI chart", () -> nonNull(Charts.ti(s))));
        specs.put("curves", build(problems, "training curves", () -> Charts.curves(s)));
        specs.put("rank", build(problems, "rank-shift charts", () -> nonNull(Charts.urial(s), Charts.rankHistogram(s))));
        specs.put("pca", build(problems, "PCA charts", () -> Charts.pca(s)));
        Map<String, List<Figure>> drawn = new LinkedHashMap<>();
        for (var e : specs.entrySet()) {
            List<Figure> figs = new ArrayList<>();
            for (ChartSpec spec : e.getValue()) {
                Figure f = save(spec, imgDir, options, problems);
                if (f != null) figs.add(f);
            }
            drawn.put(e.getKey(), figs);
        }
        return new Figures(drawn.get("scores"), drawn.get("ti"), drawn.get("curves"), drawn.get("rank"),
                drawn.get("pca"), problems);
    }

    private interface SpecSource {
        List<ChartSpec> get();
    }

    /** Builds a section's charts; a failure costs that section's plots, not the report. */
    private static List<ChartSpec> build(List<String> problems, String what, SpecSource source) {
        try {
            return source.get();
        } catch (RuntimeException e) {
            problems.add("The " + what + " could not be built: " + e);
            return List.of();
        }
    }

    private static List<ChartSpec> nonNull(ChartSpec... specs) {
        List<ChartSpec> out = new ArrayList<>();
        for (ChartSpec s : specs) if (s != null) out.add(s);
        return out;
    }

    private static Figure save(ChartSpec spec, Path imgDir, Options options, List<String> problems) throws IOException {
        String png = IMAGES + "/" + spec.stem() + ".png";
        String svg = options.svg() ? IMAGES + "/" + spec.stem() + ".svg" : null;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BitmapEncoder.saveBitmap(spec.chart(), out, BitmapEncoder.BitmapFormat.PNG);
            Files.write(imgDir.resolve(spec.stem() + ".png"), out.toByteArray());
            if (svg != null) {
                ByteArrayOutputStream v = new ByteArrayOutputStream();
                VectorGraphicsEncoder.saveVectorGraphic(spec.chart(), v, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
                Files.writeString(imgDir.resolve(spec.stem() + ".svg"), stableIds(v.toString(StandardCharsets.UTF_8)),
                        StandardCharsets.UTF_8);
            }
            return new Figure(png, svg, spec.alt(), spec.caption());
        } catch (RuntimeException e) {
            problems.add("Figure " + spec.stem() + " could not be drawn: " + e);
            return null;
        }
    }

    private static final Pattern CLIP_ID = Pattern.compile("clip(\\d+)");

    /**
     * VectorGraphics2D names clip paths after object hash codes, which change from run to run; renaming them
     * clip1, clip2, ... in order of first use makes the SVG depend on the chart only.
     */
    static String stableIds(String svg) {
        Map<String, String> names = new LinkedHashMap<>();
        Matcher m = CLIP_ID.matcher(svg);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = names.computeIfAbsent(m.group(1), k -> Integer.toString(names.size() + 1));
            m.appendReplacement(b, "clip" + name);
        }
        m.appendTail(b);
        return b.toString();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: a leftover hidden .partial-/.old- folder is harmless and named after the report
        }
    }
}
