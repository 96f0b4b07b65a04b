package rift.eval.ti;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import rift.eval.ti.TiResult.BenchmarkTerm;
import rift.eval.ti.TiResult.GroupIndex;
import rift.eval.ti.TiResult.ModelTi;

/** Renders a {@link TiResult} as a readable table or as JSON (with every intermediate). */
public final class TiReport {
    private TiReport() {}

    /** One line per model: DI per group, TI_other, TI_non and the σ used; a header says how σ was chosen. */
    public static String table(TiResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(describe(r.options())).append('\n');
        if (!r.pooledOrFixedSigmas().isEmpty()) {
            sb.append("sigma:");
            for (var e : r.pooledOrFixedSigmas().entrySet()) {
                sb.append(String.format(Locale.ROOT, " %s=%.3f", e.getKey().label(), e.getValue()));
            }
            sb.append('\n');
        }
        boolean v2 = r.options().formula() == TiOptions.Formula.V2;
        List<String[]> rows = new ArrayList<>();
        rows.add(v2 ? new String[] {"model", "base", "DI_math", "DI_other", "DI_non", "TI_other", "TI_non",
                "sigma_math", "sigma_other", "sigma_non"}
                : new String[] {"model", "base", "RG_math", "RG_other", "RG_non", "TI_other", "TI_non"});
        for (ModelTi m : r.models()) {
            List<String> row = new ArrayList<>(List.of(m.model(), m.base()));
            for (BenchmarkGroup g : BenchmarkGroup.values()) row.add(fmt(m.groups().get(g), "%.4f", GroupIndex::di));
            row.add(m.tiOther() == null ? "-" : String.format(Locale.ROOT, "%+.1f", m.tiOther()));
            row.add(m.tiNon() == null ? "-" : String.format(Locale.ROOT, "%+.1f", m.tiNon()));
            if (v2) for (BenchmarkGroup g : BenchmarkGroup.values()) row.add(fmt(m.groups().get(g), "%.3f", GroupIndex::sigma));
            rows.add(row.toArray(String[]::new));
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) line.append("  ");
                // names left-aligned, numbers right-aligned
                line.append(i < 2 ? String.format("%-" + width[i] + "s", row[i]) : String.format("%" + width[i] + "s", row[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** JSON with options, shared sigmas and, per model, every benchmark term. */
    public static String json(TiResult r) {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = om.createObjectNode();
        TiOptions o = r.options();
        root.put("formula", o.formula() == TiOptions.Formula.V2 ? "v2" : "v1");
        if (o.formula() == TiOptions.Formula.V2) {
            root.put("sigma_mode", o.sigmaMode().label());
            root.put("ddof", o.ddof());
            ObjectNode sig = root.putObject("sigmas");
            for (var e : r.pooledOrFixedSigmas().entrySet()) sig.put(e.getKey().label(), e.getValue());
        }
        ArrayNode models = root.putArray("models");
        for (ModelTi m : r.models()) {
            ObjectNode mn = models.addObject();
            mn.put("model", m.model());
            mn.put("base", m.base());
            if (m.tiOther() == null) mn.putNull("ti_other"); else mn.put("ti_other", m.tiOther());
            if (m.tiNon() == null) mn.putNull("ti_non"); else mn.put("ti_non", m.tiNon());
            ObjectNode groups = mn.putObject("groups");
            for (GroupIndex gi : m.groups().values()) {
                ObjectNode gn = groups.putObject(gi.group().label());
                gn.put("di", gi.di());
                if (!Double.isNaN(gi.sigma())) gn.put("sigma", gi.sigma());
                ArrayNode terms = gn.putArray("benchmarks");
                for (BenchmarkTerm t : gi.terms()) {
                    ObjectNode tn = terms.addObject();
                    tn.put("benchmark", t.benchmark());
                    tn.put("base_score", t.baseScore());
                    tn.put("score", t.score());
                    tn.put("delta", t.delta());
                    if (o.formula() == TiOptions.Formula.V2) {
                        tn.put("z", t.z());
                        tn.put("signed_root", t.signedRoot());
                        tn.put("weight", t.weight());
                        tn.put("norm_weight", t.normWeight());
                    } else {
                        tn.put("relative_gain", t.z());
                    }
                }
            }
        }
        try {
            return om.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render TI JSON", e);
        }
    }

    static String describe(TiOptions o) {
        if (o.formula() == TiOptions.Formula.V1_RELATIVE_GAIN) {
            return "TI v1 (older form): RG_g = mean relative gain (R_model - R_base)/R_base, TI_g = 100*RG_g/RG_math";
        }
        String how = switch (o.sigmaMode()) {
            case POOLED -> "sigma pooled over all gains of the group across the models given";
            case PER_MODEL -> "sigma per model over its own gains in the group";
            case FIXED -> "sigma fixed";
        };
        return "TI v2: " + how + " (std ddof " + o.ddof() + "); TI_g = 100*DI_g/DI_math";
    }

    private static String fmt(GroupIndex gi, String pattern, java.util.function.ToDoubleFunction<GroupIndex> f) {
        return gi == null ? "-" : String.format(Locale.ROOT, pattern, f.applyAsDouble(gi));
    }
}
