package genie.sweep;

import genie.util.Cancellation;

import genie.synth.SynthCache;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A sweep bound to its records folder: its cells, where each one's run record goes
 * ({@code RECORDS/NAME/CELL_FOLDER}), what state each is in, and running the missing ones on a backend. What the
 * command line ({@code genie sweep}) and the notebooks ({@code genie.magics.Sweeps}) both call.
 */
public final class Sweep {
    private final SweepSpec spec;
    private final Path records;
    private final List<Cell> cells;
    private final Path synthCache;

    private Sweep(SweepSpec spec, Path records, Path synthCache) {
        this.spec = spec;
        this.records = records.toAbsolutePath().normalize();
        this.cells = Cell.expand(spec);
        this.synthCache = synthCache.toAbsolutePath().normalize();
    }

    /**
     * The sweep of {@code spec} with its records in {@code records}; Genie-D sets are shared through
     * {@code $GENIE_SYNTH_CACHE}, else {@code RECORDS/.synth-cache}.
     */
    public static Sweep of(SweepSpec spec, Path records) {
        String env = System.getenv(SynthCache.ENV);
        return new Sweep(spec, records, env != null && !env.isBlank() ? Path.of(env.trim()) : records.resolve(".synth-cache"));
    }

    public Sweep withSynthCache(Path dir) {
        return new Sweep(spec, records, dir);
    }

    public SweepSpec spec() {
        return spec;
    }

    public List<Cell> cells() {
        return cells;
    }

    public Path records() {
        return records;
    }

    /** The folder of this sweep's run records ({@code genie report} reads it). */
    public Path recordsDir() {
        return records.resolve(spec.name());
    }

    public Path dir(Cell c) {
        return recordsDir().resolve(c.folder());
    }

    Path metaDir() {
        return records.resolve(".sweep").resolve(spec.name());
    }

    Path synthCache() {
        return synthCache;
    }

    /** Every cell's state, asking Slurm about the jobs this sweep submitted (if any). */
    public List<CellStatus> status() {
        Map<Path, String> queued = Slurm.queued(metaDir());
        return cells.stream().map(c -> CellFolder.status(c, dir(c), queued)).toList();
    }

    /**
     * Runs the cells without a record (and, with {@code retryFailed}, the failed ones) on the chosen backend;
     * {@code log} gets a line per finished cell (local) or a progress line (Slurm with wait). A cancellation
     * (Ctrl-C, a notebook's interrupt) stops the local workers or the waiting, keeping every finished cell.
     */
    public SweepResult run(RunOptions o, PrintStream log, Cancellation cancellation)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        List<CellStatus> before = status();
        List<Cell> todo = new ArrayList<>();
        for (CellStatus s : before) {
            if (s.state() == CellState.PENDING && s.detail().isEmpty()
                    || s.state() == CellState.FAILED && o.retryFailed()) {
                todo.add(s.cell());
            }
        }
        long readBack = before.stream().filter(s -> s.state() == CellState.DONE).count();
        long skippedFailed = o.retryFailed() ? 0 : before.stream().filter(s -> s.state() == CellState.FAILED).count();
        long elsewhere = before.size() - readBack - skippedFailed - todo.size();
        log.printf(Locale.ROOT, "sweep %s: %d cells, %d recorded, %d to run%s%s on %s%n", spec.name(), cells.size(),
                readBack, todo.size(), skippedFailed > 0 ? ", " + skippedFailed + " failed (--retry-failed reruns them)" : "",
                elsewhere > 0 ? ", " + elsewhere + " running or queued elsewhere" : "", o.backend());
        String job = null;
        boolean interrupted = false;
        if (!todo.isEmpty()) {
            Manifest m = Manifest.write(this, o.backend(), todo);
            if (o.backend().equals("slurm")) {
                job = Slurm.submit(this, m, o.slurm(), o.workers());
                log.printf(Locale.ROOT, "submitted job array %s (%d tasks%s), manifest %s%n", job, todo.size(),
                        o.workers() > 0 ? ", at most " + o.workers() + " at once" : "", m.dir);
                if (o.waitForSlurm()) {
                    interrupted = Slurm.await(this, job, m, log, cancellation);
                }
            } else {
                interrupted = new LocalBackend(o.workers(), o.threads(), log).run(m, cancellation);
            }
        }
        List<CellStatus> after = status();
        Set<String> ran = todo.stream().map(Cell::id).collect(Collectors.toSet());
        int computed = (int) after.stream().filter(s -> s.state() == CellState.DONE && ran.contains(s.cell().id())).count();
        return new SweepResult(spec.name(), o.backend(), cells.size(), computed, (int) readBack, count(after, CellState.FAILED),
                count(after, CellState.RUNNING), count(after, CellState.PENDING), todo.size(), job, interrupted,
                (System.nanoTime() - t0) / 1e9, recordsDir(), after);
    }

    private static int count(List<CellStatus> l, CellState s) {
        return (int) l.stream().filter(x -> x.state() == s).count();
    }
}
