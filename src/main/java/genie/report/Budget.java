package genie.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much compute an experiment (a notebook, a script) spends, by level; notebooks read the level from the
 * environment variable {@value #ENV}, so one notebook runs as a CI smoke test or as a real measurement.
 *
 * @param level             the level's name
 * @param samples           calibration images
 * @param synthBatch        Genie-D images per batch
 * @param synthIters        Genie-D iterations per batch
 * @param reconIters        reconstruction iterations per unit of a single quantization
 * @param ablationReconIters reconstruction iterations per unit inside an ablation that runs many quantizations
 *                          (at {@code full}, 40 reconstructions at 2000 iterations would take about 5 CPU-hours)
 * @param evalImages        test images scored
 */
public record Budget(String level, int samples, int synthBatch, int synthIters, int reconIters, int ablationReconIters,
        int evalImages) {
    public static final String ENV = "GENIE_BUDGET";

    /** Seconds-scale runs for the same-seed test. */
    public static final Budget TINY = new Budget("tiny", 16, 16, 10, 10, 10, 200);
    /** About a minute per notebook on 2 CPU cores: exercises every step, measures nothing. */
    public static final Budget SMOKE = new Budget("smoke", 32, 32, 30, 20, 10, 500);
    /** The budget of the reference measurements (shared/notes/reference.md): 512 images, 500 + 2000 iterations. */
    public static final Budget FULL = new Budget("full", 512, 128, 500, 2000, 500, 10000);
    /** The paper's settings: 1024 images, 4000 synthesis and 20000 reconstruction iterations. */
    public static final Budget PAPER = new Budget("paper", 1024, 128, 4000, 20000, 20000, 10000);

    public static final List<Budget> LEVELS = List.of(TINY, SMOKE, FULL, PAPER);

    /** The level named by {@value #ENV}; {@code smoke} when unset. */
    public static Budget fromEnv() {
        return of(System.getenv().getOrDefault(ENV, "smoke"));
    }

    public static Budget of(String level) {
        String n = level.trim().toLowerCase(Locale.ROOT);
        return LEVELS.stream().filter(b -> b.level.equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown budget '" + level + "': set " + ENV
                        + " to one of " + LEVELS.stream().map(Budget::level).toList()));
    }

    public boolean atLeastFull() {
        return LEVELS.indexOf(this) >= LEVELS.indexOf(FULL);
    }

    /** For notebooks: the figures by name, e.g. to put in the magic session ({@code ${samples}}). */
    public Map<String, Object> asMap() {
        return Map.of("samples", samples, "synthBatch", synthBatch, "synthIters", synthIters, "iters", reconIters,
                "ablationIters", ablationReconIters, "evalLimit", evalImages);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s budget: %d images, Genie-D %d iterations in batches of %d, "
                + "reconstruction %d iterations per unit (%d in ablations), %d test images", level, samples, synthIters,
                synthBatch, reconIters, ablationReconIters, evalImages);
    }
}
