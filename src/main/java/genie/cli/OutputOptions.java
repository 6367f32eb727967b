package genie.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** What a long command writes besides its result: progress bars, a closing JSON line ({@code --json}), a run record. */
public final class OutputOptions extends JsonOption {
    /** Option names the notebook magics leave out (a cell shows progress and binds results instead). */
    public static final String[] CLI_ONLY = {"--quiet", "--json", "--record"};

    @Option(names = "--quiet", description = "No progress bars.")
    public boolean quiet;

    @Option(names = "--record", paramLabel = "DIR",
            description = "Write a run record (config, seed, versions, metrics, loss curves, plots) to DIR.")
    public Path record;
}
