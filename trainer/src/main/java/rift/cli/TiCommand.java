package rift.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import rift.eval.ti.BenchmarkGroup;
import rift.eval.ti.ScoreTable;
import rift.eval.ti.TiOptions;
import rift.eval.ti.TiReport;
import rift.eval.ti.TiResult;
import rift.eval.ti.TransferabilityIndex;
import rift.kernels.RiftException;

/** {@code rift ti}: the Transferability Index of every model in a score file against its own base. */
@Command(name = "ti", mixinStandardHelpOptions = true,
        description = {"Transferability Index (Huan et al. 2025, v2): how much of a model's math gain over its own"
                + " base carries over to other reasoning (TI_other) and non-reasoning (TI_non) benchmarks.",
                "Score file: CSV with header model,base,benchmark,group,score; base empty on a base model's own rows;"
                        + " group math|other|non; score = accuracy in percent."})
public final class TiCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scores", required = true, paramLabel = "FILE.csv", description = "per-benchmark scores")
    Path scores;

    @Option(names = "--sigma", paramLabel = "MODE",
            description = "pooled (default: std of all gains of a group over all models given; reproduces the paper's"
                    + " table), per-model (std over one model's own gains, the paper's literal text), fixed (--fixed-sigmas)")
    String sigma;

    @Option(names = "--fixed-sigmas", paramLabel = "M,O,N", description = "sigma_math,sigma_other,sigma_non for --sigma fixed"
            + " (the paper's 18-model pool: 16.122,18.431,20.462)")
    String fixedSigmas;

    @Option(names = "--ddof", defaultValue = "0", description = "std divides by n-ddof (default 0: population std;"
            + " cancels in TI when every group pools the same number of gains)")
    int ddof;

    @Option(names = "--v1", description = "older v1 form: mean relative gain (R-R_base)/R_base per group, no sigma")
    boolean v1;

    @Option(names = "--json", description = "JSON with every intermediate instead of a table")
    boolean json;

    @Override
    public Integer call() {
        TiOptions options = options();
        TiResult result = TransferabilityIndex.compute(ScoreTable.readCsv(scores), options);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? TiReport.json(result) : TiReport.table(result));
        out.flush();
        return 0;
    }

    TiOptions options() {
        if (v1) {
            if (sigma != null || fixedSigmas != null) {
                throw new RiftException("--v1 has no sigma (it uses relative gains); drop --sigma/--fixed-sigmas or drop --v1");
            }
            return TiOptions.v1().withDdof(ddof);
        }
        String mode = sigma == null ? "pooled" : sigma.strip().toLowerCase(Locale.ROOT);
        TiOptions.SigmaMode m = switch (mode) {
            case "pooled" -> TiOptions.SigmaMode.POOLED;
            case "per-model", "per_model", "permodel" -> TiOptions.SigmaMode.PER_MODEL;
            case "fixed" -> TiOptions.SigmaMode.FIXED;
            default -> throw new RiftException("--sigma " + sigma + " is not a sigma mode; use pooled, per-model or fixed");
        };
        Map<BenchmarkGroup, Double> fixed = fixedSigmas == null ? null : parseFixed(fixedSigmas);
        if (m == TiOptions.SigmaMode.FIXED && fixed == null) {
            throw new RiftException("--sigma fixed needs --fixed-sigmas M,O,N (sigma_math,sigma_other,sigma_non),"
                    + " e.g. --fixed-sigmas 16.122,18.431,20.462");
        }
        if (m != TiOptions.SigmaMode.FIXED && fixed != null) {
            throw new RiftException("--fixed-sigmas is only used with --sigma fixed; add --sigma fixed or drop --fixed-sigmas");
        }
        return new TiOptions(TiOptions.Formula.V2, m, fixed, ddof);
    }

    private static Map<BenchmarkGroup, Double> parseFixed(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 3) {
            throw new RiftException("--fixed-sigmas '" + text + "' needs three numbers M,O,N (sigma_math,sigma_other,"
                    + "sigma_non), e.g. 16.122,18.431,20.462");
        }
        double[] v = new double[3];
        for (int i = 0; i < 3; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new RiftException("--fixed-sigmas: '" + parts[i] + "' is not a number; write M,O,N such as"
                        + " 16.122,18.431,20.462");
            }
            if (!(v[i] > 0) || !Double.isFinite(v[i])) {
                throw new RiftException("--fixed-sigmas: " + parts[i].strip() + " is not a positive sigma; a sigma of 0"
                        + " makes delta/sigma undefined");
            }
        }
        return Map.of(BenchmarkGroup.MATH, v[0], BenchmarkGroup.OTHER, v[1], BenchmarkGroup.NON, v[2]);
    }
}
