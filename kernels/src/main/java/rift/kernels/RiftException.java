package rift.kernels;

/**
 * An error a user can act on: bad input (recipe, data file, checkpoint, tokenizer, CLI flag) or an
 * environment problem. The message names the file, the field and the fix; the CLI prints it without
 * a stack trace. Programming errors stay ordinary exceptions.
 */
public class RiftException extends RuntimeException {
    public RiftException(String message) {
        super(message);
    }

    public RiftException(String message, Throwable cause) {
        super(message, cause);
    }
}
