package genie.kernel;

import java.util.Map;

import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/** Hands JShell a {@link GenieExecutionControl} running in this JVM and remembers it. */
final class GenieExecutionControlProvider implements ExecutionControlProvider {

    private final ClassLoader parent;
    private volatile GenieExecutionControl control;

    GenieExecutionControlProvider(ClassLoader parent) {
        this.parent = parent;
    }

    @Override
    public String name() {
        return "genie-local";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        control = new GenieExecutionControl(new GenieLoaderDelegate(parent));
        return control;
    }

    GenieExecutionControl control() {
        return control;
    }
}
