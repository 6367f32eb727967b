package genie.cli;

import genie.quant.QuantConfig;
import picocli.CommandLine.Option;

/** Bit-widths of ordinary layers, shared by {@link QuantOptions} and {@code quickstart}. */
public final class BitsOptions {
    @Option(names = "--wbits", description = "Weight bits, 2..8 (default: ${DEFAULT-VALUE}).")
    public int wbits = QuantConfig.DEFAULTS.wbits();

    @Option(names = "--abits", description = "Activation bits, 2..8 or 16 (default: ${DEFAULT-VALUE}).")
    public int abits = QuantConfig.DEFAULTS.abits();
}
