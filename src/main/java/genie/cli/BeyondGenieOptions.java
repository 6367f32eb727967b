package genie.cli;

import genie.synth.SynthConfig;
import picocli.CommandLine.Option;

/**
 * Genie-D switches from later papers, each off by default (so every default number is the paper's); shared by
 * {@code synth}, {@code run} and the notebook magics through {@link SynthOptions}. README: "Beyond Genie".
 */
public final class BeyondGenieOptions {
    @Option(names = "--lowpass", paramLabel = "R",
            description = "Beyond Genie (SynQ): Gaussian low-pass filter of the finished images, exp(-(f/Nyquist)^2 "
                    + "/ (2 R^2)) on their 2-D spectrum (0: off, the default; SynQ's ImageNet setting is about 0.7).")
    public double lowpass = SynthConfig.DEFAULTS.lowpass();

    @Option(names = "--synth-augment",
            description = "Beyond Genie (DGH): the teacher sees a random shift (up to size/14 pixels) and horizontal "
                    + "flip of the images in every synthesis iteration.")
    public boolean augment = SynthConfig.DEFAULTS.augment();

    @Option(names = "--bn-global",
            description = "Beyond Genie (DGH): match the BatchNorm statistics of all batches so far (earlier ones "
                    + "fixed) instead of each batch's own.")
    public boolean bnGlobal = SynthConfig.DEFAULTS.bnGlobal();

    @Option(names = "--label-ce", paramLabel = "W",
            description = "Beyond Genie (ZeroQ/IntraQ labels): add W x cross-entropy of the teacher's logits to a "
                    + "class drawn per image, kept as the images' labels (0: off, the default).")
    public double labelCe = SynthConfig.DEFAULTS.labelCe();

    /** Sets the four switches. */
    public SynthConfig.Builder applyTo(SynthConfig.Builder b) {
        return b.lowpass(lowpass).augment(augment).bnGlobal(bnGlobal).labelCe(labelCe);
    }
}
