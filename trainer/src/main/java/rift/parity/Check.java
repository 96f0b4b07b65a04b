package rift.parity;

/** One row of the parity table: what was compared, how far apart the two sides were, and the verdict. */
public record Check(String model, String name, double maxAbs, double maxRel, String tolerance, Status status, String detail) {
    public enum Status { PASS, FAIL, INFO }

    public boolean failed() {
        return status == Status.FAIL;
    }

    static Status of(boolean ok) {
        return ok ? Status.PASS : Status.FAIL;
    }
}
