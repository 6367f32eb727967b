package genie.cli;

import picocli.CommandLine.Option;

/** How many Genie-D images to make; each command gives its own default (quickstart runs a small budget). */
public final class SamplesOption {
    @Option(names = "--samples", description = "Images to make (default: ${DEFAULT-VALUE}).")
    public int samples;

    public SamplesOption(int defaultSamples) {
        samples = defaultSamples;
    }
}
