package genie.magics;

import com.google.gson.JsonObject;
import genie.report.SeedChart;
import genie.report.SeedStatistics;
import genie.sweep.CellState;
import genie.sweep.CellStatus;
import genie.sweep.RunOptions;
import genie.sweep.StatusReport;
import genie.sweep.Sweep;
import genie.sweep.SweepResult;
import genie.sweep.SweepSpec;
import org.knowm.xchart.CategoryChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sweeps from a notebook (the twin of {@code genie sweep run|status} and the grouping of {@code genie report}):
 * start the grid, watch a Slurm array, read the cells back as tables and a chart with mean ± std over seeds. The
 * cells run as their own processes (local workers or Slurm tasks), so the notebook's JVM only waits; the interrupt
 * button stops the local workers (or the waiting) and keeps every finished cell.
 */
public final class Sweeps {
    private Sweeps() {}

    /** A spec from JSON text (e.g. a text block); relative paths are taken from the working folder. */
    public static SweepSpec spec(String json) {
        return SweepSpec.parse(json, Path.of("").toAbsolutePath(), "(notebook)");
    }

    public static SweepSpec spec(Path file) throws IOException {
        return SweepSpec.read(file);
    }

    /**
     * Runs the cells without a record: on {@code $GENIE_SWEEP_BACKEND} (local, the default, or slurm, waited for),
     * with {@code workers} processes or array tasks at once; a line per finished cell.
     */
    public static SweepResult run(SweepSpec spec, Path records, int workers) throws IOException, InterruptedException {
        String backend = System.getenv().getOrDefault("GENIE_SWEEP_BACKEND", "local");
        return run(spec, records, new RunOptions(backend, workers, 0, true, false, RunOptions.SlurmOptions.NONE));
    }

    public static SweepResult run(SweepSpec spec, Path records, RunOptions options) throws IOException, InterruptedException {
        // The kernel clears the session's token before each cell; an interrupt stops the workers, keeping finished cells.
        SweepResult r = Sweep.of(spec, records).run(options, System.out, GenieSession.current().cancellation());
        System.out.println(r);
        return r;
    }

    /** Waits until no cell is running or queued (e.g. a Slurm array submitted earlier), printing the counts. */
    public static List<CellStatus> watch(SweepSpec spec, Path records) throws InterruptedException {
        Sweep s = Sweep.of(spec, records);
        String last = "";
        while (true) {
            List<CellStatus> st = s.status();
            String line = StatusReport.summary(s, st);
            if (!line.equals(last)) System.out.println(line);
            last = line;
            boolean busy = st.stream().anyMatch(x -> x.state() == CellState.RUNNING || !x.detail().isEmpty()
                    && x.state() == CellState.PENDING);
            if (!busy || GenieSession.current().cancellation().requested()) return st;
            Thread.sleep(2000);
        }
    }

    /** One row per cell: its state, axes, top-1, seconds, Genie-D's tail loss, and the error of a failed cell. */
    public static Table status(SweepSpec spec, Path records) {
        List<CellStatus> st = Sweep.of(spec, records).status();
        StringColumn state = StringColumn.create("state");
        StringColumn cell = StringColumn.create("cell");
        DoubleColumn top1 = DoubleColumn.create("top-1 %");
        DoubleColumn secs = DoubleColumn.create("seconds");
        DoubleColumn loss = DoubleColumn.create("BN loss (tail)");
        StringColumn detail = StringColumn.create("detail");
        for (CellStatus x : st) {
            state.append(x.state().toString());
            cell.append(x.cell().label());
            top1.append(Math.round(x.top1() * 100) / 100.0);
            secs.append(Math.round(x.seconds() * 10) / 10.0);
            loss.append(x.metrics() != null && x.metrics().has("synth_tail_loss")
                    ? Math.round(x.metrics().get("synth_tail_loss").getAsDouble() * 1e4) / 1e4 : Double.NaN);
            detail.append(x.state() == CellState.DONE ? "" : x.detail().lines().reduce((a, b) -> b).orElse(""));
        }
        return Table.create(StatusReport.summary(Sweep.of(spec, records), st), state, cell, top1, secs, loss, detail);
    }

    /**
     * The finished cells grouped over seeds, keyed by the spec's own names (teacher, data, method, wbits, abits and
     * the settings), for {@link SeedStatistics#pivot} and {@link #chart}.
     */
    public static List<SeedStatistics.Group> groups(SweepSpec spec, Path records) {
        List<JsonObject> rows = new ArrayList<>();
        for (CellStatus x : Sweep.of(spec, records).status()) {
            if (x.state() != CellState.DONE) continue;
            JsonObject config = new JsonObject();
            if (spec.teachers().size() > 1) config.addProperty("teacher", x.cell().teacher().label());
            if (!x.cell().variant().isEmpty()) config.addProperty("variant", x.cell().variant());
            config.addProperty("data", x.cell().data());
            config.addProperty("method", x.cell().method().toString());
            config.addProperty("wbits", x.cell().wbits());
            config.addProperty("abits", x.cell().abits());
            x.cell().settings().forEach((k, v) -> config.addProperty(k, v.toString()));
            JsonObject r = new JsonObject();
            r.addProperty("kind", "sweep");
            r.addProperty("seed", x.cell().seed());
            r.add("config", config);
            r.add("metrics", x.metrics());
            rows.add(r);
        }
        return SeedStatistics.groups(rows);
    }

    /** Data source x quantizer, "mean ± std" of top-1 over seeds, for one bit width such as "w4a4". */
    public static Table pivot(List<SeedStatistics.Group> groups, String bits) {
        String b = bits.toLowerCase(Locale.ROOT);
        List<SeedStatistics.Group> these = groups.stream().filter(g -> b.equals("w" + g.key().get("wbits") + "a"
                + g.key().get("abits"))).toList();
        int n = these.stream().mapToInt(SeedStatistics.Group::n).max().orElse(0);
        return SeedStatistics.pivot(these, "data", "method", bits.toUpperCase(Locale.ROOT)
                + ": top-1 % by data source and quantizer, mean ± std over " + n + " seed(s)");
    }

    /** {@link #pivot(List, String)} for one teacher of a spec with several ({@code "teachers"}). */
    public static Table pivot(List<SeedStatistics.Group> groups, String teacher, String bits) {
        Table t = pivot(ofTeacher(groups, teacher), bits);
        return t.setName(teacher + ": " + t.name());
    }

    /** The groups of one teacher (all of them when the spec has one teacher, whose groups carry no teacher key). */
    public static List<SeedStatistics.Group> ofTeacher(List<SeedStatistics.Group> groups, String teacher) {
        return groups.stream().filter(g -> teacher.equals(g.key().getOrDefault("teacher", teacher))).toList();
    }

    /**
     * Variant x (teacher, bits): "mean ± std" of top-1 over seeds, a row per variant of the spec ({@code "variants"}),
     * a column per teacher and bit width.
     */
    public static Table variants(SweepSpec spec, List<SeedStatistics.Group> groups, String title) {
        List<SeedStatistics.Group> keyed = new ArrayList<>();
        for (SeedStatistics.Group g : groups) {
            java.util.Map<String, String> k = new java.util.LinkedHashMap<>(g.key());
            String teacher = k.getOrDefault("teacher", spec.teachers().get(0).label());
            k.put("teacher, bits", teacher + " W" + k.get("wbits") + "A" + k.get("abits"));
            keyed.add(new SeedStatistics.Group(k, g.seeds(), g.top1(), g.seconds()));
        }
        return SeedStatistics.pivot(keyed, "variant", "teacher, bits", title);
    }

    /** Mean top-1 with the standard deviation over seeds as error bars, a series per bit width. */
    public static CategoryChart chart(List<SeedStatistics.Group> groups, String title) {
        return SeedChart.of(groups, title);
    }
}
