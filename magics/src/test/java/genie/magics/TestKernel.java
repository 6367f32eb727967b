package genie.magics;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * The notebook kernel of a test: a bare jjava kernel hosting a fresh {@link GenieSession}, found by
 * {@link GenieSession#current()} as the Genie kernel's is. Close it to let the next test install its own.
 */
final class TestKernel extends BaseKernel implements GenieSession.Host, AutoCloseable {
    private final GenieSession session = new GenieSession();

    TestKernel() {
        super("genie-test", "0", null, List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(),
                new Renderer(), null, new MagicsRegistry(), false, new StringStyler.Builder().build());
        installNotebookKernel();
    }

    /** A kernel whose session sends displays to {@code sink}. */
    static TestKernel showingOn(Display.Sink sink) {
        TestKernel k = new TestKernel();
        k.session.setSink(sink);
        return k;
    }

    @Override
    public GenieSession genieSession() {
        return session;
    }

    @Override
    public void close() {
        uninstallNotebookKernel();
    }

    @Override
    public Object evalRaw(String source) {
        throw new UnsupportedOperationException("a test kernel evaluates nothing");
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return null;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        return null;
    }

    @Override
    public String isComplete(String code) {
        return IS_COMPLETE_YES;
    }
}
