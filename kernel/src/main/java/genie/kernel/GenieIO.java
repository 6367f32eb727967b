package genie.kernel;

import java.nio.charset.Charset;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;

/** JupyterIO that the kernel can attach/detach itself and that knows the current request for clear_output. */
final class GenieIO extends JupyterIO {

    private volatile ShellReplyEnvironment env;

    GenieIO(Charset encoding) {
        super(encoding);
    }

    void attach(ShellReplyEnvironment env) {
        setEnv(env);
    }

    void detach(ShellReplyEnvironment env) {
        retractEnv(env);
    }

    void stdinEnabled(boolean enabled) {
        setJupyterInEnabled(enabled);
    }

    @Override
    protected void setEnv(ShellReplyEnvironment env) {
        super.setEnv(env);
        this.env = env;
    }

    @Override
    protected void retractEnv(ShellReplyEnvironment env) {
        super.retractEnv(env);
        if (this.env == env) this.env = null;
    }

    void flush() {
        out.flush();
        err.flush();
    }

    void clearOutput(boolean wait) {
        flush();
        ShellReplyEnvironment e = env;
        if (e != null) e.publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
    }
}
