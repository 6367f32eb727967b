package genie.cli;

import picocli.CommandLine.Option;

/** Reconstruction iterations per unit; each command gives its own default (quickstart runs a small budget). */
public final class ReconItersOption {
    @Option(names = {"--iters", "--recon-iters"},
            description = "Reconstruction iterations per unit (default: ${DEFAULT-VALUE}).")
    public int iters;

    public ReconItersOption(int defaultIters) {
        iters = defaultIters;
    }
}
