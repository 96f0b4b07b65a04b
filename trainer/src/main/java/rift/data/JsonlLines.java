package rift.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import rift.kernels.RiftException;

/**
 * The lines of a JSON Lines file, plain or gzip-compressed (recognised by its magic bytes, not its
 * name), streamed. Each line is decoded as strict UTF-8 on its own, so one bad byte spoils only its
 * line: the caller can report it by line number, or skip it and go on at the next newline.
 */
final class JsonlLines implements Closeable {
    /** One line: its 1-based number and its text, or, when its bytes are not UTF-8, why not. */
    record Line(int number, String text, String notUtf8) {}

    private final Path file;
    private final InputStream in;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buf = new byte[1 << 16];
    private int pos, limit;
    private byte[] line = new byte[1 << 12];
    private int number;
    private boolean eof;

    JsonlLines(Path file) {
        this.file = file;
        try {
            BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (NoSuchFileException e) {
            throw new RiftException("data file " + file + " does not exist: check data.train (a path relative to"
                    + " the working directory, or data:<folder>/<file> for the repository's data/ folder)");
        } catch (IOException e) {
            throw new RiftException("cannot open data file " + file + ": " + e.getMessage());
        }
    }

    /** The next line, or null at the end of the file. */
    Line next() {
        if (eof) return null;
        int len = 0;
        try {
            while (true) {
                if (pos == limit) {
                    limit = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        eof = true;
                        if (len == 0) return null; // a final newline ends the last line, it starts none
                        break;
                    }
                }
                int nl = -1;
                for (int i = pos; i < limit; i++) {
                    if (buf[i] == '\n') {
                        nl = i;
                        break;
                    }
                }
                int end = nl < 0 ? limit : nl;
                if (len + end - pos > line.length) line = Arrays.copyOf(line, Math.max(line.length * 2, len + end - pos));
                System.arraycopy(buf, pos, line, len, end - pos);
                len += end - pos;
                pos = end;
                if (nl >= 0) {
                    pos++;
                    break;
                }
            }
        } catch (IOException e) {
            throw new RiftException("cannot read data file " + file + " after line " + number + ": " + e.getMessage()
                    + " (a truncated or corrupt .gz file?); copy the file again");
        }
        number++;
        if (len > 0 && line[len - 1] == '\r') len--;
        try {
            String text = utf8.reset().decode(ByteBuffer.wrap(line, 0, len)).toString();
            if (number == 1 && text.startsWith("\uFEFF")) text = text.substring(1); // a byte-order mark
            return new Line(number, text, null);
        } catch (CharacterCodingException e) {
            return new Line(number, null, "not valid UTF-8 (" + e.getMessage() + ")");
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // reading is done; nothing to recover
        }
    }
}
