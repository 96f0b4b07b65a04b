package rift.eval;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress of one benchmark with an estimated time to completion, logged as one line at most every
 * {@code intervalNanos} (and once at the end). The ETA assumes the remaining units take as long as the
 * finished ones did on average.
 */
public final class Progress {
    private final String label;
    private final String unit;
    private final long total;
    private final LongSupplier clock;
    private final Consumer<String> log;
    private final long intervalNanos;
    private final long start;
    private long done;
    private long tokens;
    private long lastLog;

    public Progress(String label, long total, String unit, LongSupplier clock, Consumer<String> log, long intervalNanos) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.clock = clock;
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.start = clock.getAsLong();
        this.lastLog = start;
    }

    /** Counts {@code n} more finished units; logs when the interval has passed. */
    public void advance(long n) {
        done += n;
        long now = clock.getAsLong();
        if (now - lastLog >= intervalNanos && done < total) {
            lastLog = now;
            log.accept(line(now));
        }
    }

    /**
     * Counts one generated token (called from inside a long generation call, so a slow benchmark still
     * logs every interval before its first samples finish).
     */
    public void token() {
        tokens++;
        if ((tokens & 63) != 0) return;   // the clock is read every 64 tokens only
        long now = clock.getAsLong();
        if (now - lastLog >= intervalNanos) {
            lastLog = now;
            log.accept(line(now));
        }
    }

    /** Logs the final line ("done in ..."). */
    public void finish() {
        long now = clock.getAsLong();
        log.accept(String.format(Locale.ROOT, "eval %s: %d/%d %s done in %s", label, done, total, unit, duration(now - start)));
    }

    String line(long now) {
        double elapsed = (now - start) / 1e9;
        double rate = done / Math.max(elapsed, 1e-9);
        long etaNanos = done == 0 ? -1 : (long) ((total - done) / rate * 1e9);
        String toks = tokens == 0 ? "" : String.format(Locale.ROOT, ", %.1f tokens/s", tokens / Math.max(elapsed, 1e-9));
        return String.format(Locale.ROOT, "eval %s: %d/%d %s (%.1f%%), %.2f %s/s%s, elapsed %s, ETA %s", label, done, total, unit,
                100.0 * done / total, rate, unit, toks, duration(now - start), etaNanos < 0 ? "?" : duration(etaNanos));
    }

    static String duration(long nanos) {
        long s = Math.round(nanos / 1e9);
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s / 60) % 60) + "m";
    }
}
