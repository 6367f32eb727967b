package genie.synth;

import genie.data.ImageSet;

/** The synthetic images (unlabeled, model input space) and the run's report. */
public record SynthResult(ImageSet images, SynthReport report) {
}
