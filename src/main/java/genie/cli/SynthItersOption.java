package genie.cli;

import picocli.CommandLine.Option;

/**
 * Synthesis iterations per batch in commands that also reconstruct (where {@code --iters} means reconstruction);
 * each command gives its own default.
 */
public final class SynthItersOption {
    @Option(names = "--synth-iters", description = "Synthesis iterations per batch (default: ${DEFAULT-VALUE}).")
    public int synthIters;

    public SynthItersOption(int defaultIters) {
        synthIters = defaultIters;
    }
}
