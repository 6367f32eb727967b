package genie.cli;

import genie.quant.ReconstructionListener;
import genie.quant.Unit;
import genie.util.ProgressBar;

import java.io.PrintStream;
import java.util.Locale;

/** Console progress of a reconstruction: one bar per unit, then its report line. */
final class ReconProgress implements ReconstructionListener {
    private final PrintStream out;
    private final int unitCount;
    private ProgressBar bar;
    private int barUnit = -1;

    ReconProgress(PrintStream out, int unitCount) {
        this.out = out;
        this.unitCount = unitCount;
    }

    @Override
    public void onIteration(Unit unit, int iteration, int total, float rec, float round) {
        if (unit.index() != barUnit) {
            barUnit = unit.index();
            bar = new ProgressBar(out, String.format(Locale.ROOT, "unit %d/%d %-10s", unit.index() + 1, unitCount,
                    unit.name()), total, true);
        }
        bar.update(iteration, String.format(Locale.ROOT, "rec %.4f round %.1f", rec, round));
    }

}
