package rift.kernels;

/**
 * How a backward op writes a gradient output: ADD accumulates into it (+=, the default of every
 * backward op), SET overwrites it (=). SET spares the caller zeroing a buffer that one op fills: on a
 * GPU that zeroing is a pass over the buffer, and accumulating into it is a second read.
 */
public enum Write {
    ADD,
    SET
}
