package rift.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import rift.kernels.Backend;
import rift.kernels.Backends;
import rift.kernels.RiftException;
import rift.parity.Check;
import rift.parity.Compare;
import rift.parity.ParityModel;
import rift.parity.ParitySettings;
import rift.parity.ParityTable;
import rift.parity.Perturbation;
import rift.parity.TrainerParity;

/**
 * {@code rift parity --device cuda [--bf16]}: the trainer on a device against the same trainer on the CPU,
 * from the same seed (see {@link TrainerParity}); prints a table and exits 1 when a check fails.
 */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = {"Trainer-level parity of a device against the CPU backend, from the same seed: a teacher-forced log-prob pass,"
                + " a rollout (prompts x samples), one SFT step (loss, grad norm, gradients, weights after AdamW), an SFT loss curve and"
                + " one GRPO step (completions, rewards, loss, grad norm, weights). Prints a table; exit status 1 when a check fails.",
                "fp32 storage is held to tight tolerances and identical sampled tokens; --bf16 to loose ones (bf16 sampling may diverge,"
                        + " so its GRPO step trains on dataset completions)."})
public final class ParityCommand implements Callable<Integer> {
    @Option(names = "--device", description = "cuda, cuda-bf16 (= cuda --bf16), or cpu (the harness against itself) (default ${DEFAULT-VALUE}).")
    String device = "cuda";

    @Option(names = "--bf16", description = "bf16 storage with fp32 master weights on the device (model.dtype bf16).")
    boolean bf16;

    @Option(names = "--model", split = ",", description = "testbed (checkpoints/testbed-base), qwen3-hd64, qwen3-hd128 (random Qwen3 shapes"
            + " with GQA), or all (default).")
    List<String> models = new ArrayList<>(List.of("all"));

    @Option(names = "--steps", description = "SFT steps of the loss curve (default ${DEFAULT-VALUE}).")
    int steps = ParitySettings.defaults().steps();

    @Option(names = "--batch", description = "Sequences per SFT step (default ${DEFAULT-VALUE}).")
    int batch = ParitySettings.defaults().sftBatch();

    @Option(names = "--prompts", description = "Prompts of the GRPO step and the rollout (default ${DEFAULT-VALUE}).")
    int prompts = ParitySettings.defaults().prompts();

    @Option(names = "--samples", description = "Completions per prompt (default ${DEFAULT-VALUE}).")
    int samples = ParitySettings.defaults().samples();

    @Option(names = "--max-new-tokens", description = "Completion budget (default ${DEFAULT-VALUE}).")
    int maxNewTokens = ParitySettings.defaults().maxNewTokens();

    @Option(names = "--seed", description = "Seed of the model init, data order and sampling (default ${DEFAULT-VALUE}).")
    long seed = ParitySettings.defaults().seed();

    @Option(names = "--threads", description = "CPU threads (default: all cores).")
    Integer threads;

    @Option(names = "--perturb", paramLabel = "TENSOR:FACTOR",
            description = "Scale one tensor of the device side's initial weights (e.g. model.norm.weight:1.001): the run must then fail.")
    String perturb;

    @Option(names = "--tsv", description = "Also append the rows to this tab-separated file.")
    Path tsv;

    @Override
    public Integer call() {
        if (threads != null) {
            if (threads < 1) throw new RiftException("--threads must be >= 1");
            rift.kernels.cpu.Parallel.setThreads(threads);
        }
        String d = device.trim().toLowerCase(Locale.ROOT);
        boolean storeBf16 = bf16;
        switch (d) {
            case "cuda", "gpu", "cuda-fp32" -> d = "cuda";
            case "cuda-bf16" -> {
                d = "cuda";
                storeBf16 = true;
            }
            case "cpu" -> { }
            default -> throw new RiftException("--device must be cuda, cuda-bf16 or cpu, got '" + device + "'");
        }
        // every flag is checked before the device opens, so a typo is reported on any machine, GPU or not
        ParitySettings settings = new ParitySettings(ParitySettings.defaults().records(), batch, steps, prompts, samples, maxNewTokens, seed);
        List<String> names = models.contains("all") ? ParityModel.NAMES : models;
        List<ParityModel> chosen = names.stream().map(ParityModel::of).toList();
        var options = new TrainerParity.Options(d, storeBf16, settings, perturb == null ? null : Perturbation.parse(perturb));
        requireDevice(d, storeBf16);
        String mode = storeBf16 ? "bf16" : "fp32";
        List<Check> all = new ArrayList<>();
        Path work = tempDir();
        try {
            for (ParityModel m : chosen) {
                long t0 = System.nanoTime();
                List<Check> rows;
                try {
                    rows = TrainerParity.run(m, options, work.resolve(m.name()));
                } catch (RiftException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // a kernel fault or a bug on one model: recorded as a failed row, so one GPU run still reports the others
                    System.err.println("rift parity: " + m.name() + " failed:");
                    e.printStackTrace();
                    rows = List.of(Compare.failed(m.name(), "run", String.valueOf(e)));
                }
                System.err.printf(Locale.ROOT, "rift parity: %s done in %.1f s%n", m.name(), (System.nanoTime() - t0) / 1e9);
                all.addAll(rows);
                if (tsv != null) ParityTable.appendTsv(tsv, mode, rows);
            }
        } finally {
            deleteTree(work);
        }
        ParityTable.print(System.out, String.format(Locale.ROOT, "rift parity: %s (%s storage) against cpu, seed %d", d, mode, seed), all);
        return all.stream().anyMatch(Check::failed) ? 1 : 0;
    }

    /** Fails at once, with the backend's own message, when the device cannot be opened (before any CPU work). */
    private static void requireDevice(String device, boolean bf16) {
        if (device.equals("cpu")) return;
        Backend b = Backends.create(bf16 ? "cuda-bf16" : "cuda");
        if (b instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the probe backend failed", e);
            }
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("rift-parity-");
        } catch (IOException e) {
            throw new RiftException("cannot create a temporary folder for the parity runs (" + e.getMessage() + "); set java.io.tmpdir");
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("rift parity: could not delete " + dir + " (" + e.getMessage() + ")");
        }
    }
}
