package genie.synth;

import genie.data.ImageSet;
import genie.util.ProgressBar;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** A console progress bar over all iterations of all batches (loss and ETA), plus one line per finished batch. */
public final class ConsoleSynthListener implements SynthListener {
    private final PrintStream out;
    private final SynthConfig config;
    private final boolean layerTerms;
    private ProgressBar bar;
    private long done;

    /**
     * @param out        where to draw (System.err for the CLI); null disables output
     * @param layerTerms also print the per-layer terms every {@code logEvery} iterations
     */
    public ConsoleSynthListener(PrintStream out, SynthConfig config, boolean layerTerms) {
        this.out = out;
        this.config = config;
        this.layerTerms = layerTerms;
    }

    @Override
    public void onBatchStart(int batch, int batches, int size) {
        if (bar == null) {
            long per = config.source() == SynthConfig.Source.NOISE ? 1 : Math.max(1, config.iterations());
            bar = new ProgressBar(out, "synth " + config.source().cliName(), per * batches, out != null);
        }
    }

    @Override
    public void onIteration(int batch, int iter, double total, double meanPart, double stdPart) {
        done++;
        if (bar != null) {
            bar.update(done, String.format(Locale.ROOT, "batch %d/%d loss %.4f (mean %.4f std %.4f)", batch + 1,
                    config.batches(), total, meanPart, stdPart));
        }
    }

    @Override
    public void onLayerTerms(int batch, int iter, Map<String, double[]> terms) {
        if (!layerTerms || out == null) {
            return;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%nbatch %d iteration %d per-layer terms"
                + " (mean, std):", batch, iter + 1));
        terms.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%n  %-28s %.5f %.5f", k, v[0], v[1])));
        out.println(sb);
    }

    @Override
    public void onBatchDone(int batch, ImageSet images, int[] classHistogram, double meanConfidence) {
        if (out != null) {
            out.println(String.format(Locale.ROOT, "\nbatch %d/%d done: %d images, teacher classes %s, mean"
                    + " confidence %.3f", batch + 1, config.batches(), images.size(), Arrays.toString(classHistogram),
                    meanConfidence));
        }
    }
}
