package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Kernels spec matches the extern "C" signature in src/main/cuda, and every kernel there has a spec. */
class KernelSignatureTest {
    private static final Pattern KERNEL = Pattern.compile(
            "extern \"C\" __global__ void __launch_bounds__\\(RIFT_THREADS\\)\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern DEFINE = Pattern.compile("#define\\s+(\\w+)\\(NAME\\b");

    /** Kernel name -> parameter kinds, parsed from the sources (macro-made kernels expanded by name). */
    static Map<String, List<Kernel.Param>> parseSources() throws IOException {
        Map<String, List<Kernel.Param>> out = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("src/main/cuda"))) {
            files = s.filter(p -> p.toString().endsWith(".cuh") || p.toString().endsWith(".cu")).sorted().toList();
        }
        StringBuilder all = new StringBuilder(); // a macro may be instantiated in a later file of the translation unit
        for (Path f : files) all.append(Files.readString(f).replace("\\\n", " ")).append('\n');
        for (Path f : files) {
            String text = Files.readString(f).replace("\\\n", " ");
            Matcher m = KERNEL.matcher(text);
            while (m.find()) {
                List<Kernel.Param> params = params(m.group(2));
                if (!m.group(1).equals("NAME")) {
                    out.put(m.group(1), params);
                    continue;
                }
                // a macro template: find its #define name, then every invocation MACRO(kernel_name, ...)
                String before = text.substring(0, m.start());
                Matcher d = DEFINE.matcher(before);
                String macro = null;
                while (d.find()) macro = d.group(1);
                assertTrue(macro != null, "kernel template without #define in " + f);
                Matcher inv = Pattern.compile("(?m)^" + macro + "\\((\\w+),").matcher(all);
                int n = 0;
                while (inv.find()) {
                    out.put(inv.group(1), params);
                    n++;
                }
                assertTrue(n > 0, "macro " + macro + " is never instantiated");
            }
        }
        return out;
    }

    private static List<Kernel.Param> params(String list) {
        List<Kernel.Param> out = new ArrayList<>();
        for (String p : list.split(",")) {
            String t = p.trim();
            if (t.isEmpty()) continue;
            if (t.contains("*")) out.add(Kernel.Param.PTR);
            else if (t.startsWith("i64 ") || t.startsWith("long long ")) out.add(Kernel.Param.I64);
            else if (t.startsWith("int ")) out.add(Kernel.Param.I32);
            else if (t.startsWith("float ")) out.add(Kernel.Param.F32);
            else throw new AssertionError("unknown parameter type: " + t);
        }
        return out;
    }

    @Test
    void specsMatchSources() throws IOException {
        Map<String, List<Kernel.Param>> src = parseSources();
        assertTrue(src.size() >= 30, "parsed only " + src.keySet());
        for (Kernel k : Kernels.ALL) {
            assertTrue(src.containsKey(k.name()), "no kernel " + k.name() + " in src/main/cuda");
            assertEquals(src.get(k.name()), k.params(), "parameters of " + k.name());
        }
        for (String name : src.keySet()) {
            assertTrue(Kernels.ALL.stream().anyMatch(k -> k.name().equals(name)), "kernel " + name + " has no spec in Kernels.java");
        }
    }

    @Test
    void launchArgumentsAreChecked() {
        Kernel k = Kernel.of("k", Kernel.Param.PTR, Kernel.Param.I32, Kernel.Param.I64, Kernel.Param.F32);
        k.checkArgs(new Object[] {null, 1, 2L, 3f});
        k.checkArgs(new Object[] {5L, 1, 2L, 3f});
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> k.checkArgs(new Object[] {5L, 1, 2, 3f}));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> k.checkArgs(new Object[] {5L, 1L, 2L, 3f}));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> k.checkArgs(new Object[] {5L, 1, 2L, 3.0}));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> k.checkArgs(new Object[] {5L, 1, 2L}));
    }
}
