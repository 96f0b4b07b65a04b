package rift.kernels.cuda;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import rift.kernels.Backend;
import rift.kernels.cpu.CpuBackend;

/**
 * Runs {@link ParityChecks} (every Backend op, CUDA against CPU) without JUnit or Maven, for the GPU
 * machine, and prints a PASS/FAIL table. Each check runs alone: an exception is recorded with the
 * CUDA error text and the run goes on. A kernel fault leaves the CUDA context unusable for the rest of
 * the process, so then ParityMain records the culprit and exits with status 3; rerun it with the same
 * --resume file to continue after it (kernels/gpu-check.sh loops so).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp ... rift.kernels.cuda.ParityMain
 *     [--mode fp32|bf16|both] [--only REGEX] [--resume FILE] [--bench] [--no-checks] [--cpu-self-test]
 * </pre>
 * Exit status: 0 all passed, 1 some failed, 2 no usable CUDA, 3 stopped by a kernel fault (resume).
 */
public final class ParityMain {
    private ParityMain() {}

    private record Row(String mode, String name, String status, double error, double tol, long ms, String detail) {
        String line() {
            return String.join("\t", mode, name, status, Double.toString(error), Double.toString(tol), Long.toString(ms),
                    detail.replace('\t', ' ').replace('\n', ' '));
        }

        static Row parse(String line) {
            String[] f = line.split("\t", 7);
            return new Row(f[0], f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4]), Long.parseLong(f[5]),
                    f.length > 6 ? f[6] : "");
        }
    }

    public static void main(String[] args) throws IOException {
        List<String> modes = List.of("fp32", "bf16");
        String only = null;
        Path resume = null;
        boolean bench = false, selfTest = false, checks = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> {
                    String m = args[++i];
                    modes = m.equals("both") ? List.of("fp32", "bf16") : List.of(m);
                }
                case "--only" -> only = args[++i];
                case "--resume" -> resume = Path.of(args[++i]);
                case "--bench" -> bench = true;
                case "--no-checks" -> checks = false;
                case "--cpu-self-test" -> selfTest = true;
                default -> {
                    System.err.println("usage: ParityMain [--mode fp32|bf16|both] [--only REGEX] [--resume FILE] [--bench] [--no-checks] [--cpu-self-test]");
                    System.exit(64);
                }
            }
        }
        if (!selfTest && !Cuda.available()) {
            System.out.println("CUDA is not available: " + Cuda.unavailableReason());
            System.exit(2);
        }
        List<Row> rows = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        if (resume != null && Files.exists(resume)) {
            for (String l : Files.readAllLines(resume, StandardCharsets.UTF_8)) {
                if (l.isBlank()) continue;
                Row r = Row.parse(l);
                rows.add(r);
                done.add(r.mode + "\t" + r.name);
            }
        }
        Pattern onlyPattern = only == null ? null : Pattern.compile(only);
        System.out.println("rift CUDA parity (" + System.getProperty("java.vm.name") + " " + Runtime.version() + ")");
        System.out.printf(Locale.ROOT, "%-5s %-44s %-6s %10s %10s %7s  %s%n", "mode", "check", "result", "error", "tol", "ms", "detail");
        for (String mode : checks ? modes : List.<String>of()) {
            boolean bf16 = mode.equals("bf16");
            Backend backend;
            try {
                backend = selfTest ? new CpuBackend()
                        : new CudaBackend((bf16 ? CudaBackend.Options.bf16() : CudaBackend.Options.fp32()).withSyncEachOp(true));
            } catch (RuntimeException e) {
                System.out.println("could not create the " + mode + " CUDA backend: " + e);
                System.exit(2);
                return;
            }
            if (backend instanceof CudaBackend cb) System.out.println("device: " + cb.describe());
            ParityChecks pc = new ParityChecks(backend, bf16);
            for (ParityChecks.Check c : pc.checks()) {
                String key = mode + "\t" + c.name();
                if (done.contains(key)) continue;
                if (onlyPattern != null && !onlyPattern.matcher(c.name()).find()) continue;
                long t0 = System.nanoTime();
                Row row;
                boolean sticky = false;
                try {
                    ParityChecks.Result r = c.run();
                    row = new Row(mode, c.name(), r.pass() ? "PASS" : "FAIL", r.error(), r.tolerance(), ms(t0), r.detail());
                } catch (CudaFailure e) {
                    sticky = e.sticky();
                    row = new Row(mode, c.name(), "ERROR", Double.NaN, Double.NaN, ms(t0), e.getMessage() + where(e));
                } catch (Throwable t) {
                    row = new Row(mode, c.name(), "ERROR", Double.NaN, Double.NaN, ms(t0), t + where(t));
                }
                rows.add(row);
                print(row);
                if (resume != null) {
                    Files.writeString(resume, row.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                if (sticky) {
                    System.out.println("STICKY " + mode + " " + c.name() + ": the CUDA context is lost; "
                            + (resume != null ? "rerun with the same --resume file to continue" : "rerun with --resume FILE to continue"));
                    System.exit(3);
                }
            }
            if (backend instanceof CudaBackend cb) cb.close();
        }
        if (checks) summarize(rows);
        if (bench && !selfTest) ParityBench.run();
        System.exit(rows.stream().allMatch(r -> r.status.equals("PASS")) ? 0 : 1);
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** The first stack frames in rift code (where a host-side check or a launch failed). */
    private static String where(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (String l : sw.toString().split("\n")) {
            if (l.contains("at rift.") && n++ < 3) b.append(" | ").append(l.trim());
        }
        return b.toString();
    }

    private static void print(Row r) {
        System.out.printf(Locale.ROOT, "%-5s %-44s %-6s %10.2e %10.1e %7d  %s%n", r.mode, r.name, r.status, r.error, r.tol, r.ms, r.detail);
    }

    private static void summarize(List<Row> rows) {
        long pass = rows.stream().filter(r -> r.status.equals("PASS")).count();
        System.out.println();
        System.out.println("SUMMARY: " + rows.size() + " checks, " + pass + " PASS, " + (rows.size() - pass) + " not passed");
        for (Row r : rows) {
            if (!r.status.equals("PASS")) System.out.println("  " + r.status + " " + r.mode + " " + r.name + ": " + r.detail);
        }
    }
}
