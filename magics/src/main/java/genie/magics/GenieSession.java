package genie.magics;

import genie.report.ResultRow;
import genie.util.Cancellation;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one notebook session accumulates: the bound values ({@link #bindings()}), the results rows of
 * {@code %genie_table results}, where displays go, and the cancellation token its interrupt cancels. The Genie kernel
 * makes one per kernel session, {@code ./genie script} one per run; magics, {@link Genie} and {@link Session} reach it
 * through {@link #current()}.
 */
public final class GenieSession {
    /** A kernel that gives Genie's magics a session of their own. */
    public interface Host {
        GenieSession genieSession();
    }

    private final Cancellation cancellation;
    private final Bindings bindings = new Bindings();
    private final List<ResultRow> results = new ArrayList<>();
    private volatile Display.Sink sink;

    public GenieSession() {
        this(new Cancellation());
    }

    private GenieSession(Cancellation cancellation) {
        this.cancellation = cancellation;
    }

    /**
     * The session of the running Genie kernel (jjava keeps one notebook kernel per JVM). Elsewhere, as for a library
     * user calling {@link Genie} from plain Java, a fresh session that remembers nothing and is never cancelled.
     */
    public static GenieSession current() {
        return notebookKernel() instanceof Host h ? h.genieSession() : new GenieSession(Cancellation.none());
    }

    /** jjava's notebook kernel, or null when none runs (jjava says so with a NullPointerException). */
    static BaseKernel notebookKernel() {
        try {
            return BaseKernel.notebookKernel();
        } catch (NullPointerException none) {
            return null;
        }
    }

    /** Cancelled by this session's interrupt; engine loops started from it stop at their next iteration. */
    public Cancellation cancellation() {
        return cancellation;
    }

    public Bindings bindings() {
        return bindings;
    }

    public synchronized void record(ResultRow row) {
        results.add(row);
    }

    public synchronized List<ResultRow> results() {
        return List.copyOf(results);
    }

    /** Sends this session's displays to {@code sink} instead of the notebook (null: back to the notebook). */
    public void setSink(Display.Sink sink) {
        this.sink = sink;
    }

    Display.Sink sink() {
        return sink;
    }
}
