package rift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

/** Failures that are not RiftExceptions: file system errors and a full heap read as user errors, anything else as a bug. */
class UnexpectedErrorsTest {
    private record Printed(int code, String text) {}

    private static Printed handle(Throwable t, boolean debug) {
        StringWriter out = new StringWriter();
        int code = Main.unexpected(t, new PrintWriter(out, true), debug);
        return new Printed(code, out.toString());
    }

    @Test
    void aFileSystemErrorNamesTheFileWithoutATrace() {
        Printed p = handle(new UncheckedIOException(new AccessDeniedException("/runs/x/metrics.jsonl")), false);
        assertEquals(2, p.code());
        assertTrue(p.text().startsWith("error: /runs/x/metrics.jsonl: AccessDenied; check the path"), p.text());
        assertFalse(p.text().contains("\tat "), p.text());
    }

    @Test
    void anIoErrorAndAFullHeapAreUserErrors() {
        assertEquals(2, handle(new RuntimeException(new IOException("No space left on device")), false).code());
        Printed oom = handle(new OutOfMemoryError("Java heap space"), false);
        assertEquals(2, oom.code());
        assertTrue(oom.text().contains("RIFT_JAVA_OPTS=-Xmx16g"), oom.text());
    }

    @Test
    void anythingElseIsReportedAsABugWithTheTraceOnlyOnRequest() {
        Printed p = handle(new IllegalStateException("boom"), false);
        assertEquals(3, p.code());
        assertTrue(p.text().startsWith("internal error (a bug in rift, please report it): java.lang.IllegalStateException: boom"), p.text());
        assertTrue(p.text().contains("RIFT_DEBUG=1"), p.text());
        assertFalse(p.text().contains("\tat "), p.text());
        assertTrue(handle(new IllegalStateException("boom"), true).text().contains("\tat "));
    }
}
