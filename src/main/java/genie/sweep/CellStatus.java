package genie.sweep;

import com.google.gson.JsonObject;

/**
 * A cell and what its folder says about it.
 *
 * @param cell     the cell
 * @param state    done, running, pending or failed
 * @param detail   for a running cell where (host, Slurm task); for a pending one "queued in job J" or empty; for a
 *                 failed one the exit code and the last lines of its log
 * @param metrics  the record's metrics when done, else null
 */
public record CellStatus(Cell cell, CellState state, String detail, JsonObject metrics) {
    /** Top-1 of the quantized model in percent, NaN when not done. */
    public double top1() {
        return metrics != null && metrics.has("quant_top1") ? metrics.get("quant_top1").getAsDouble() : Double.NaN;
    }

    /** Seconds of the whole run (synthesis and quantization) when done, else NaN. */
    public double seconds() {
        if (metrics == null) return Double.NaN;
        double s = 0;
        for (String k : new String[] {"seconds_synth", "seconds_quant"}) {
            if (metrics.has(k)) s += metrics.get(k).getAsDouble();
        }
        return s;
    }
}
