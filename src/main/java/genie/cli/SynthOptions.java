package genie.cli;

import genie.synth.SynthCache;
import genie.synth.SynthConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Genie-D options shared by {@code synth}, {@code run} and the notebook magics (iterations are named per command). */
public final class SynthOptions {
    @Mixin
    public SamplesOption samples = new SamplesOption(SynthConfig.DEFAULTS.samples());

    @Mixin
    public SynthBatchOptions batch = new SynthBatchOptions();

    @Option(names = "--latent", description = "Latent dimension (default: ${DEFAULT-VALUE}).")
    public int latent = SynthConfig.DEFAULTS.latent();

    @Option(names = "--lr-z",
            description = "Adam rate on latents (pixels for --source pixels) (default: ${DEFAULT-VALUE}).")
    public double lrZ = SynthConfig.DEFAULTS.lrZ();

    @Option(names = "--lr-g", description = "Adam rate on the generator (default: ${DEFAULT-VALUE}).")
    public double lrG = SynthConfig.DEFAULTS.lrG();

    // 0, not DEFAULTS' 100: the command line prints per-layer terms only when asked to.
    @Option(names = "--log-every", defaultValue = "0",
            description = "Print per-BN-layer loss terms every N iterations (0: never).")
    public int logEvery;

    @Mixin
    public BeyondGenieOptions beyond = new BeyondGenieOptions();

    @Option(names = "--cache", paramLabel = "DIR", defaultValue = "${env:GENIE_SYNTH_CACHE}",
            description = "Keep Genie-D results in DIR and reuse one made with the same teacher weights, settings and "
                    + "seed instead of synthesizing again (default: $GENIE_SYNTH_CACHE, else none).")
    public Path cache;

    /** The --cache folder, or null. */
    public SynthCache cache() {
        return SynthCache.at(cache);
    }

    public SynthConfig config(int iterations, long seed) {
        return beyond.applyTo(batch.applyTo(SynthConfig.builder())).samples(samples.samples).iterations(iterations)
                .latent(latent).lrZ(lrZ).lrG(lrG).seed(seed).logEvery(logEvery).build();
    }
}
