package rift.data;

import java.util.ArrayList;
import java.util.List;

/**
 * What reading data files found, for the run log.
 *
 * @param records non-blank lines read
 * @param kept records turned into examples
 * @param filteredOut records that did not pass {@code data.filter}
 * @param empty well-formed records with an empty prompt, answer or solution (e.g. MATH's two
 *     {@code \boxed{}} answers): always dropped, since no verifier or SFT step can use them
 * @param skipped bad records skipped under {@code on_bad_record: skip}
 * @param firstDropped why the first few empty or bad records were dropped (file:line and the problem)
 */
public record ReadReport(long records, long kept, long filteredOut, long empty, long skipped, List<String> firstDropped) {
    /** How many skip reasons a report keeps. */
    public static final int MAX_REASONS = 5;

    public ReadReport {
        firstDropped = List.copyOf(firstDropped);
    }

    static ReadReport none() {
        return new ReadReport(0, 0, 0, 0, 0, List.of());
    }

    ReadReport plus(ReadReport o) {
        List<String> reasons = new ArrayList<>(firstDropped);
        for (String r : o.firstDropped) if (reasons.size() < MAX_REASONS) reasons.add(r);
        return new ReadReport(records + o.records, kept + o.kept, filteredOut + o.filteredOut, empty + o.empty,
                skipped + o.skipped, reasons);
    }

    /** One line for the log: "7500 records: kept 5584, filtered out 1914, dropped 2 empty, skipped 0 bad". */
    public String summary() {
        StringBuilder s = new StringBuilder(records + " records: kept " + kept + ", filtered out " + filteredOut
                + ", dropped " + empty + " empty, skipped " + skipped + " bad");
        if (!firstDropped.isEmpty()) s.append(" (first: ").append(firstDropped.getFirst()).append(')');
        return s.toString();
    }
}
