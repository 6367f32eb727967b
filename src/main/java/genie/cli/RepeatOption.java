package genie.cli;

import picocli.CommandLine.Option;

/** How many alternating rounds a side-by-side benchmark runs. */
public final class RepeatOption {
    @Option(names = "--repeat", defaultValue = "3", description = "Alternating rounds; the best of each side is reported "
            + "(default: ${DEFAULT-VALUE}).")
    public int repeat;
}
