package rift.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import rift.kernels.RiftException;

/**
 * Finds the data files a recipe names: a path (absolute, or relative to the working directory), or
 * {@code data:<folder>/<file>} for a file in the repository's {@code data/} folder, e.g.
 * {@code data:gsm8k/train.jsonl.gz}. The repository is the {@code rift.home} system property (set by
 * the {@code ./rift} launcher), else the first folder above the working directory that holds
 * {@code data/}, {@code trainer/} and {@code kernels/}.
 */
public final class DataFiles {
    private DataFiles() {}

    /** The prefix of names relative to the repository's data/ folder. */
    public static final String PREFIX = "data:";
    private static final int MAX_LISTED = 40;

    /** The existing file {@code name} stands for; a RiftException naming the path tried when there is none. */
    public static Path resolve(String name) {
        return resolve(name, DataFiles::dataDir, Path.of("").toAbsolutePath());
    }

    /** As {@link #resolve(String)}, with the data/ folder and the working directory given. */
    static Path resolve(String name, Supplier<Path> dataDir, Path workDir) {
        if (name == null || name.isBlank()) throw new RiftException("a data file name is empty: give a path or data:<folder>/<file>");
        Path tried;
        try {
            if (name.startsWith(PREFIX)) {
                String rest = name.substring(PREFIX.length());
                Path rel = Path.of(rest).normalize();
                if (rest.isBlank() || rel.isAbsolute() || rel.startsWith(".."))
                    throw new RiftException("data file '" + name + "': after data: give a path inside the repository's"
                            + " data/ folder, e.g. data:gsm8k/train.jsonl.gz");
                tried = dataDir.get().resolve(rel);
            } else {
                tried = workDir.resolve(name);
            }
        } catch (InvalidPathException e) {
            throw new RiftException("data file '" + name + "' is not a valid path: " + e.getMessage());
        }
        tried = tried.normalize();
        if (Files.isRegularFile(tried)) return tried;
        throw new RiftException("data file '" + name + "' not found: tried " + tried
                + (Files.isDirectory(tried) ? " (a folder, not a file)" : "") + ". " + listing(tried));
    }

    /**
     * Where {@code name} points, without checking that it exists: {@code data:x/y} under the repository's
     * data/ folder, anything else as a path relative to the working directory. For folders (a tokenizer,
     * a model) named in recipes.
     */
    public static Path locate(String name) {
        if (name.startsWith(PREFIX)) return dataDir().resolve(name.substring(PREFIX.length())).normalize();
        return Path.of(name);
    }

    /** The repository's data/ folder. */
    public static Path dataDir() {
        return findDataDir(System.getProperty("rift.home"), Path.of("").toAbsolutePath());
    }

    static Path findDataDir(String riftHome, Path workDir) {
        if (riftHome != null && !riftHome.isBlank()) {
            Path d = Path.of(riftHome).toAbsolutePath().resolve("data");
            if (!Files.isDirectory(d))
                throw new RiftException("rift.home is " + riftHome + " but it has no data/ folder (" + d
                        + "): run rift from a full checkout, or name data files by path instead of data:");
            return d;
        }
        for (Path p = workDir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("data")) && Files.isDirectory(p.resolve("trainer")) && Files.isDirectory(p.resolve("kernels")))
                return p.resolve("data");
        }
        throw new RiftException("cannot find the repository's data/ folder for data: names: rift.home is not set"
                + " and no folder above " + workDir.toAbsolutePath() + " holds data/, trainer/ and kernels/;"
                + " run rift with ./rift, from inside the checkout, or name data files by path");
    }

    /** What the nearest existing folder of {@code tried} holds, so a typo is easy to spot. */
    private static String listing(Path tried) {
        Path dir = tried.getParent();
        while (dir != null && !Files.isDirectory(dir)) dir = dir.getParent();
        if (dir == null) return "No folder on that path exists.";
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : "")).sorted().forEach(names::add);
        } catch (IOException e) {
            return "Cannot list " + dir + ": " + e.getMessage();
        }
        String prefix = (dir.equals(tried.getParent()) ? "" : tried.getParent() + " does not exist; ") + dir;
        if (names.isEmpty()) return prefix + " is empty.";
        String shown = String.join(", ", names.subList(0, Math.min(MAX_LISTED, names.size())));
        return prefix + " holds: " + shown + (names.size() > MAX_LISTED ? ", ... (" + names.size() + " entries)" : "") + ".";
    }
}
