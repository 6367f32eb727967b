package genie.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed}, declared once: {@link ModelOptions} inherits it (the notebook magics read {@code ModelOptions.seed})
 * and {@code train}, which builds its model instead of loading one, mixes it in.
 */
public class SeedOption {
    @Option(names = "--seed", defaultValue = "0",
            description = "Seed for every random choice (default: ${DEFAULT-VALUE}).")
    public long seed;
}
