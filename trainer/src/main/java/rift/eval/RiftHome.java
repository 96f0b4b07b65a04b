package rift.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import rift.kernels.RiftException;

/**
 * The rift repository root, against which suite files resolve relative data paths and
 * {@code rift eval --suite NAME} finds {@code recipes/suites/NAME.yaml}: the system property
 * {@code rift.home} when set, else the first folder at or above the working directory that holds both
 * {@code trainer/} and {@code kernels/}.
 */
public final class RiftHome {
    private RiftHome() {}

    public static final String PROPERTY = "rift.home";

    public static Path resolve() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop).toAbsolutePath().normalize();
            if (!Files.isDirectory(p)) throw new RiftException("-D" + PROPERTY + "=" + prop + " is not a directory; point it at the rift repository root");
            return p;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("trainer")) && Files.isDirectory(d.resolve("kernels"))) return d;
        }
        throw new RiftException("cannot find the rift repository root above " + start + " (a folder with trainer/ and kernels/);"
                + " run from inside the repository or pass -D" + PROPERTY + "=/path/to/rift");
    }
}
