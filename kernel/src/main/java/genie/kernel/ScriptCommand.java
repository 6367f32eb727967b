package genie.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./genie script FILE.jsh|FILE.ipynb}: runs a script headless with the kernel's API and magics. */
@Command(name = "script", mixinStandardHelpOptions = true,
        description = {"Run a JShell script (or a notebook's code cells) headless, with the same imports, helpers and "
                + "magics (%genie_*, %%genie_synth, ...) as the Jupyter kernel. Output goes to stdout; the first "
                + "failing cell ends the run with exit status 1 and the kernel's error report on stderr.",
                "Ctrl-C stops the running cell at its next engine iteration or statement and ends the run with exit "
                        + "status 130 (what the cells wrote stays); Ctrl-C again stops at once.",
                "A .jsh is cut into cells at '//%%' lines, or else at blank lines; a cell magic's body runs to the "
                        + "next blank line."})
final class ScriptCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "A .jsh script or an .ipynb notebook.")
    Path file;

    @Option(names = "--plots", paramLabel = "DIR", description = "Save every displayed picture as DIR/NNN.png.")
    Path plots;

    @Option(names = "--color", description = "Keep ANSI colors in error reports (default: only on a terminal).")
    boolean color;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            System.err.println("genie script: no such file: " + file);
            return 2;
        }
        boolean tty = System.console() != null && System.getenv("NO_COLOR") == null;
        ScriptRunner runner = new ScriptRunner(System.out, System.err, plots, color || tty);
        genie.cli.Interrupts.install(System.err, runner::interrupt);
        return runner.run(file);
    }
}
