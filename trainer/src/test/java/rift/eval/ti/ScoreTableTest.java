package rift.eval.ti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.kernels.RiftException;

class ScoreTableTest {
    @TempDir
    Path dir;

    static final String HEADER = "model,base,benchmark,group,score\n";
    static final String GOOD = HEADER
            + "B,,m1,math,50\nB,,o1,other,40\nB,,n1,non,80\n"
            + "M,B,m1,math,60\nM,B,o1,other,44\nM,B,n1,non,79\n";

    Path write(String text) throws IOException {
        Path p = dir.resolve("scores.csv");
        Files.writeString(p, text);
        return p;
    }

    RiftException bad(String text) throws IOException {
        Path p = write(text);
        RiftException e = assertThrows(RiftException.class, () -> ScoreTable.readCsv(p));
        assertTrue(e.getMessage().startsWith(p.toString()), "message names the file: " + e.getMessage());
        return e;
    }

    @Test
    void readsAGoodFileWithCommentsQuotesAndAnyColumnOrder() throws IOException {
        ScoreTable t = ScoreTable.readCsv(write("# comment\n\nscore,group,benchmark,base,model\n"
                + "50,math,m1,,\"Base, v2\"\n60,math,m1,\"Base, v2\",M\n"));
        assertEquals(List.of("M"), t.evaluatedModels());
        assertEquals("Base, v2", t.baseOf("M"));
        assertEquals(60.0, t.scores("M").get("m1").score());
        assertEquals(5, t.scores("M").get("m1").line());
    }

    @Test
    void quotedQuotes() {
        assertEquals(List.of("a\"b", "c", ""), ScoreTable.splitCsvLine("\"a\"\"b\",c,", "f", 1));
    }

    @Test
    void errorsNameFileLineAndFix() throws IOException {
        assertTrue(bad("").getMessage().contains("header"));
        assertTrue(bad("model,base,bench,group,score\n").getMessage().contains("no column benchmark"));
        RiftException group = bad(HEADER + "B,,m1,maths,50\n");
        assertTrue(group.getMessage().contains("line 2") && group.getMessage().contains("use math, other or non"),
                group.getMessage());
        assertTrue(bad(HEADER + "B,,m1,math,abc\n").getMessage().contains("not a number"));
        assertTrue(bad(HEADER + "B,,m1,math,57.7\nM,B,m1,math,0.9\nB,,o1,other,101\n").getMessage().contains("outside 0..100"));
        assertTrue(bad(HEADER + "B,,m1,math\n").getMessage().contains("line 2"));
        assertTrue(bad(HEADER + "\"B,,m1,math,50\n").getMessage().contains("not closed"));
        RiftException dup = bad(GOOD + "M,B,m1,math,61\n");
        assertTrue(dup.getMessage().contains("line 8") && dup.getMessage().contains("first at line 5"), dup.getMessage());
        assertTrue(bad(GOOD + "M,C,x1,math,61\n").getMessage().contains("same base"));
        assertTrue(bad(GOOD + "M,B,o1x,math,61\nB,,o1x,other,3\n").getMessage().contains("belongs to one group"));
        RiftException missingBase = bad(HEADER + "M,X,m1,math,60\n");
        assertTrue(missingBase.getMessage().contains("names base X, which has no rows"), missingBase.getMessage());
        RiftException missingBench = bad(GOOD + "M,B,m2,math,60\n");
        assertTrue(missingBench.getMessage().contains("line 8") && missingBench.getMessage().contains("B,,m2,math,<score>"),
                missingBench.getMessage());
        assertTrue(bad(HEADER + "B,,m1,math,50\n").getMessage().contains("no row has a base"));
        assertTrue(bad(HEADER + "B,,o1,other,50\nM,B,o1,other,60\n").getMessage().contains("no math benchmark"));
        assertTrue(bad(HEADER + "B,B,o1,math,50\n").getMessage().contains("names itself"));
    }

    @Test
    void missingFile() {
        RiftException e = assertThrows(RiftException.class, () -> ScoreTable.readCsv(dir.resolve("nope.csv")));
        assertTrue(e.getMessage().contains("nope.csv"));
    }
}
