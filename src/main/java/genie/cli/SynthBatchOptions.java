package genie.cli;

import genie.synth.SynthConfig;
import picocli.CommandLine.Option;

/** How each Genie-D batch is made: its size, what is optimised, swing; shared by synthesis and its benchmark. */
public final class SynthBatchOptions {
    @Option(names = "--batch",
            description = "Images per synthesis batch; the last batch may be smaller (default: ${DEFAULT-VALUE}).")
    public int batch = SynthConfig.DEFAULTS.batch();

    @Option(names = "--source", paramLabel = "genie|generator-only|pixels|noise",
            description = "What is optimised (default: ${DEFAULT-VALUE}).")
    public String source = SynthConfig.DEFAULTS.source().cliName();

    @Option(names = "--no-swing", description = "Keep the teacher's strided convolutions (no swing convolution).")
    public boolean noSwing;

    /** Sets batch size, source and swing. */
    public SynthConfig.Builder applyTo(SynthConfig.Builder b) {
        return b.batch(batch).source(SynthConfig.Source.parse(source)).swing(!noSwing);
    }
}
