package genie.cli;

import genie.synth.SynthConfig;
import picocli.CommandLine.Option;

/** Genie-D options shared by {@code synth}, {@code run} and the notebook magics (iterations are named per command). */
public final class SynthOptions {
    @Option(names = "--samples", defaultValue = "1024", description = "Images to make (default: ${DEFAULT-VALUE}).")
    public int samples;

    @Option(names = "--batch", defaultValue = "128",
            description = "Images per synthesis batch; the last batch may be smaller (default: ${DEFAULT-VALUE}).")
    public int batch;

    @Option(names = "--latent", defaultValue = "256", description = "Latent dimension (default: ${DEFAULT-VALUE}).")
    public int latent;

    @Option(names = "--lr-z", defaultValue = "0.1",
            description = "Adam rate on latents (pixels for --source pixels) (default: ${DEFAULT-VALUE}).")
    public double lrZ;

    @Option(names = "--lr-g", defaultValue = "0.01", description = "Adam rate on the generator (default: ${DEFAULT-VALUE}).")
    public double lrG;

    @Option(names = "--source", defaultValue = "genie", paramLabel = "genie|generator-only|pixels|noise",
            description = "What is optimised (default: ${DEFAULT-VALUE}).")
    public String source;

    @Option(names = "--no-swing", description = "Keep the teacher's strided convolutions (no swing convolution).")
    public boolean noSwing;

    @Option(names = "--log-every", defaultValue = "0",
            description = "Print per-BN-layer loss terms every N iterations (0: never).")
    public int logEvery;

    @Option(names = "--cache", paramLabel = "DIR", defaultValue = "${env:GENIE_SYNTH_CACHE}",
            description = "Keep Genie-D results in DIR and reuse one made with the same teacher weights, settings and "
                    + "seed instead of synthesizing again (default: $GENIE_SYNTH_CACHE, else none).")
    public java.nio.file.Path cache;

    /** The --cache folder, or null. */
    public genie.synth.SynthCache cache() {
        return genie.synth.SynthCache.at(cache);
    }

    public SynthConfig config(int iterations, long seed) {
        return SynthConfig.builder().samples(samples).batch(batch).iterations(iterations).latent(latent).lrZ(lrZ)
                .lrG(lrG).swing(!noSwing).seed(seed).source(SynthConfig.Source.parse(source)).logEvery(logEvery).build();
    }
}
