package rift;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the project's shared test data (../shared beside the checkout, as CI lays it out). */
public final class TestPaths {
    private TestPaths() {}

    /** The shared/ folder: the first ancestor of the working directory that has shared/data beside it. */
    public static Path shared() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("shared");
            if (Files.isDirectory(s.resolve("data"))) return s;
        }
        throw new IllegalStateException("shared/data not found above " + Path.of("").toAbsolutePath()
                + ": the tests read the project's shared test data from ../shared beside the checkout");
    }

    /** A file under shared/data. */
    public static Path data(String relative) {
        return shared().resolve("data").resolve(relative);
    }

    /** The repository root (the folder holding the parent pom.xml and trainer/). */
    public static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("trainer")) && Files.isDirectory(d.resolve("kernels"))) return d;
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }
}
