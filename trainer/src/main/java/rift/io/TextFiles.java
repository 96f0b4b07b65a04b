package rift.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import rift.kernels.RiftException;

/**
 * Reads a whole user-supplied text file (recipe, suite, tokenizer.json) as UTF-8, turning every way it
 * can fail into a RiftException that names the file, what it should have been and the fix: a folder
 * given where a file was expected, bytes that are not UTF-8 (with the line), no permission, an I/O
 * error. A missing file is left to the caller, which knows where it looked and what to suggest.
 */
public final class TextFiles {
    private TextFiles() {}

    /**
     * The file's text.
     *
     * @param what what the file is, for messages: "recipe", "suite file", "tokenizer file"
     * @throws NoSuchFileException when the file does not exist (the caller says where it looked)
     */
    public static String readUtf8(Path file, String what) throws NoSuchFileException {
        if (Files.isDirectory(file))
            throw new RiftException(file + ": is a folder, not a " + what + "; give the path of the " + what + " itself");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new RiftException(file + ": cannot read the " + what + ": permission denied; make it readable (chmod u+r)", e);
        } catch (IOException e) {
            throw new RiftException(file + ": cannot read the " + what + " (" + e.getMessage() + "); check the path and the disk", e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            int bad = firstInvalidUtf8(bytes);
            throw new RiftException(file + ":" + lineOf(bytes, bad) + ": the " + what + " is not valid UTF-8 (byte 0x"
                    + String.format("%02x", bytes[bad] & 0xff) + " at offset " + bad + "); save it as UTF-8 text", e);
        }
    }

    /** 1-based line holding byte {@code offset}. */
    static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) if (bytes[i] == '\n') line++;
        return line;
    }

    /** Offset of the first byte that does not start or continue a valid UTF-8 sequence (bytes.length when all are valid). */
    static int firstInvalidUtf8(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        var out = java.nio.CharBuffer.allocate(Math.max(16, bytes.length));
        var result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : bytes.length;
    }
}
