package rift.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import rift.kernels.RiftException;

/**
 * Reads math problems from JSON Lines files ({@code .jsonl}, or {@code .jsonl.gz} read directly)
 * according to a {@link DataSpec}: one record per line, streamed, strict UTF-8.
 *
 * <p>Blank lines are ignored. A line that is not a JSON object, or whose mapped fields are missing or
 * of the wrong type, is a bad record: with {@code on_bad_record: error} a {@link RiftException}
 * naming the file, the line and the field; with {@code skip} it is skipped and counted in the
 * {@link ReadReport}. A well-formed record whose prompt, answer or solution is empty text is dropped
 * and counted as empty either way: the data is wrong, not the file's format (MATH train has two
 * such answers), and it cannot be trained on or verified. Records failing {@code data.filter} are dropped before their
 * fields are checked (they would not be used anyway).
 */
public final class MathReader {
    private MathReader() {}

    /** The examples that were kept, in file order, and what reading found. */
    public record Result(List<MathExample> examples, ReadReport report) {
        public Result {
            examples = List.copyOf(examples);
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** Reads all of the spec's files into memory. */
    public static Result read(DataSpec spec) {
        List<MathExample> out = new ArrayList<>();
        ReadReport report = forEach(spec, out::add);
        return new Result(out, report);
    }

    /** Streams the spec's files, in order, handing each kept example to {@code sink}. */
    public static ReadReport forEach(DataSpec spec, Consumer<MathExample> sink) {
        RecordMapper mapper = new RecordMapper(spec);
        Set<String> filterFieldsSeen = new TreeSet<>();
        Set<String> fieldsSeen = new LinkedHashSet<>();
        ReadReport total = ReadReport.none();
        for (Path file : spec.files()) total = total.plus(readFile(file, spec, mapper, sink, filterFieldsSeen, fieldsSeen));
        if (total.records() > 0) {
            for (String field : spec.filter().keySet()) {
                if (!filterFieldsSeen.contains(field))
                    throw new RiftException("data.filter." + field + ": no record of " + spec.files() + " has a field '"
                            + field + "', so the filter would drop them all; the records have fields " + fieldsSeen
                            + ". Fix the field name or remove the filter");
            }
        }
        return total;
    }

    private static ReadReport readFile(Path file, DataSpec spec, RecordMapper mapper, Consumer<MathExample> sink,
            Set<String> filterFieldsSeen, Set<String> fieldsSeen) {
        String name = file.getFileName().toString();
        String label = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        long records = 0, kept = 0, filtered = 0, empty = 0, skipped = 0;
        List<String> reasons = new ArrayList<>();
        try (JsonlLines lines = new JsonlLines(file)) {
            for (JsonlLines.Line line; (line = lines.next()) != null; ) {
                if (line.text() != null && line.text().isBlank()) continue;
                records++;
                String where = file + ":" + line.number();
                try {
                    ObjectNode rec = parse(line);
                    rec.fieldNames().forEachRemaining(fieldsSeen::add);
                    for (String k : spec.filter().keySet()) if (rec.has(k)) filterFieldsSeen.add(k);
                    if (!spec.keeps(k -> RecordMapper.scalarText(rec.get(k)))) {
                        filtered++;
                        continue;
                    }
                    sink.accept(mapper.map(rec, label + ":" + line.number()));
                    kept++;
                } catch (RecordMapper.BadRecord bad) {
                    String what = bad.field == null ? bad.getMessage() : "field '" + bad.field + "' " + bad.getMessage();
                    if (bad.empty) empty++;
                    else if (spec.onBadRecord() == DataSpec.OnBadRecord.ERROR)
                        throw new RiftException(where + ": " + what + ". Fix: " + bad.fix);
                    else skipped++;
                    if (reasons.size() < ReadReport.MAX_REASONS) reasons.add(where + ": " + what);
                }
            }
        }
        return new ReadReport(records, kept, filtered, empty, skipped, reasons);
    }

    private static ObjectNode parse(JsonlLines.Line line) throws RecordMapper.BadRecord {
        String fix = "fix the line (one JSON object per line) or set data.on_bad_record: skip";
        if (line.notUtf8() != null) throw new RecordMapper.BadRecord(null, line.notUtf8(), fix);
        JsonNode node;
        try {
            node = JSON.readTree(line.text());
        } catch (JsonProcessingException e) {
            String detail = e.getOriginalMessage();
            if (detail.length() > 200) detail = detail.substring(0, 200) + "...";
            int column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
            throw new RecordMapper.BadRecord(null, "not valid JSON" + (column > 0 ? " at column " + column : "")
                    + " (" + detail.replace('\n', ' ') + ")", fix);
        }
        if (!(node instanceof ObjectNode rec))
            throw new RecordMapper.BadRecord(null, "is " + RecordMapper.typeName(node) + ", expected a JSON object", fix);
        return rec;
    }
}
