package rift.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * A named list of benchmarks read from a suite file.
 *
 * @param name     the suite's name (its {@code name:} key, else the file name without .yaml)
 * @param file     the suite file
 * @param dataRoot the folder relative data paths were resolved against
 */
public record Suite(String name, String description, Path file, Path dataRoot, List<Benchmark> benchmarks) {
    public Suite {
        benchmarks = List.copyOf(benchmarks);
    }
}
