package rift.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import rift.eval.RiftHome;
import rift.eval.Suite;
import rift.eval.SuiteLoader;
import rift.kernels.Backend;
import rift.model.ModelIO;
import rift.probe.ProbeOptions;
import rift.probe.ProbeReport;
import rift.probe.ProbeRunner;
import rift.report.ProbeResult;
import rift.tokenizer.Tokenizer;

/**
 * The drift probes of every arm x seed against the shared base, per benchmark of the probe suite: token
 * KL and rank shift on the tuned model's own greedy responses, and the PCA shift of mean-pooled hidden
 * states (rift.probe.ProbeRunner does the work; this maps its results into the report).
 */
final class ExperimentProbes {
    private ExperimentProbes() {}

    /** Probe results of every trained model against the base, one entry per (arm, seed, benchmark). */
    static List<ProbeResult> run(ExperimentSpec spec, ExperimentRunner.Outcome out) {
        Path home = RiftHome.resolve();
        Suite suite = SuiteLoader.load(SuiteLoader.locate(spec.probeSuite(), home), home, null);
        ExperimentRunner.ModelRun baseRun = out.models().get(0);
        Backend be = out.device().get(); // the evaluations' backend: one device context for the whole experiment
        List<ProbeResult> results = new ArrayList<>();
        try (Tokenizer baseTok = Tokenizer.load(baseRun.modelDir())) {
            var base = new ProbeRunner.Model("base", ModelIO.load(baseRun.modelDir(), be), baseTok);
            for (ExperimentRunner.ModelRun m : out.models()) {
                if (m.arm().equals("base")) continue;
                ExperimentRunner.log("probes: " + m.label() + " vs base on suite " + suite.name());
                Path tokDir = Files.isRegularFile(m.modelDir().resolve("tokenizer.json")) ? m.modelDir() : baseRun.modelDir();
                try (Tokenizer tok = Tokenizer.load(tokDir)) {
                    ProbeOptions opt = ProbeOptions.defaults();
                    if (spec.probeLimit() != null) opt = opt.withLimit(spec.probeLimit());
                    if (spec.evalMaxNewTokens() != null) opt = opt.withMaxNewTokens(spec.evalMaxNewTokens());
                    ProbeReport r = new ProbeRunner(base, new ProbeRunner.Model(m.label(), ModelIO.load(m.modelDir(), be), tok), opt).run(suite);
                    for (ProbeReport.BenchmarkProbes b : r.benchmarks()) results.add(toReport(m, b));
                }
            }
        }
        return results;
    }

    private static ProbeResult toReport(ExperimentRunner.ModelRun m, ProbeReport.BenchmarkProbes b) {
        double kl = Double.NaN, shift = Double.NaN, d = Double.NaN;
        ProbeResult.UrialBuckets urial = null;
        List<ProbeResult.TokenCount> top = new ArrayList<>();
        List<ProbeResult.RankShiftBin> hist = new ArrayList<>();
        List<ProbeResult.PcaLayerPoint> pca = new ArrayList<>();
        if (b.token() != null) {
            var t = b.token().result();
            kl = t.kl();
            shift = t.avgRankShift();
            urial = new ProbeResult.UrialBuckets(t.buckets().unshifted(), t.buckets().marginal(), t.buckets().shifted());
            hist.add(new ProbeResult.RankShiftBin(1, 1, t.buckets().unshifted()));
            hist.add(new ProbeResult.RankShiftBin(2, 3, t.buckets().marginal()));
            hist.add(new ProbeResult.RankShiftBin(4, Long.MAX_VALUE, t.buckets().shifted()));
            for (ProbeReport.DecodedToken dt : b.token().topShiftedTokens()) top.add(new ProbeResult.TokenCount(dt.text(), dt.count()));
        }
        if (b.pca() != null) {
            d = b.pca().result().d();
            for (var p : b.pca().result().layers()) pca.add(new ProbeResult.PcaLayerPoint(p.layer(), p.pc1Base(), p.pc2Base(), p.pc1Tuned(), p.pc2Tuned()));
        }
        return new ProbeResult(m.arm(), (int) m.seed(), b.id(), kl, shift, urial, top, hist, pca, d);
    }
}
