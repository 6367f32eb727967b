package genie.cli;

import picocli.CommandLine.Option;

/** Evaluation batch size, shared by {@code eval} and {@code bench eval}. */
public final class EvalBatchOption {
    @Option(names = "--batch", defaultValue = "250", description = "Evaluation batch size (default: ${DEFAULT-VALUE}).")
    public int batch;
}
