package genie.kernel;

import java.util.List;

/**
 * A failed cell, already formatted for Jupyter: {@code ename}, {@code evalue} and the traceback lines.
 * The kernel publishes it as an {@code error} message and an execute reply with status {@code error}.
 */
public class CellException extends RuntimeException {

    private final String ename;
    private final List<String> traceback;

    public CellException(String ename, String evalue, List<String> traceback) {
        super(evalue);
        this.ename = ename;
        this.traceback = List.copyOf(traceback);
    }

    public String ename() {
        return ename;
    }

    public String evalue() {
        return getMessage();
    }

    public List<String> traceback() {
        return traceback;
    }

    /** A cell stopped by an interrupt request (or by the engine's cancellation check). */
    public static CellException interrupted(String detail) {
        return new CellException("Interrupted", detail,
                List.of(ErrorFormat.RED + "Interrupted" + ErrorFormat.RESET + ": " + detail));
    }
}
