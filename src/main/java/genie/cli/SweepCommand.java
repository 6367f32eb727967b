package genie.cli;

import genie.sweep.CellState;
import genie.sweep.CellStatus;
import genie.sweep.RunOptions;
import genie.sweep.StatusReport;
import genie.sweep.Sweep;
import genie.sweep.SweepResult;
import genie.sweep.SweepSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code genie sweep run|status SPEC.json}: a grid of runs, on local worker processes or as a Slurm job array. */
@Command(name = "sweep", mixinStandardHelpOptions = true, subcommands = {SweepCommand.Run.class, SweepCommand.Status.class},
        description = "A grid of `genie run`s (data x method x bits x seeds x teachers) from a JSON spec; "
                + "see README, Sweeps.")
public final class SweepCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Options both subcommands share. */
    static class Common extends JsonOption {
        @Parameters(index = "0", paramLabel = "SPEC.json", description = "The sweep spec.")
        Path spec;

        @Option(names = "--records", paramLabel = "DIR", defaultValue = "runs",
                description = "Where the cells' run records go, as DIR/NAME/CELL (default: ${DEFAULT-VALUE}).")
        Path records;

        @Option(names = "--synth-cache", paramLabel = "DIR", description = "Genie-D sets shared between cells "
                + "(default: $GENIE_SYNTH_CACHE, else DIR/.synth-cache under --records).")
        Path synthCache;

        Sweep sweep() throws java.io.IOException {
            Sweep s = Sweep.of(SweepSpec.read(spec), records);
            return synthCache != null ? s.withSynthCache(synthCache) : s;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run every cell not yet recorded; a cell recorded with the same settings is read back.",
            footer = {"", "Ctrl-C stops the local workers (or the waiting for Slurm) and keeps every finished cell; "
                    + "the next sweep run computes only what is missing. Exit status: 0, 1 if a cell failed, 130 if "
                    + "interrupted."})
    static final class Run extends Common implements Callable<Integer> {
        @Option(names = "--backend", defaultValue = "local", paramLabel = "local|slurm",
                description = "Worker processes here, or one Slurm job array (default: ${DEFAULT-VALUE}).")
        String backend;

        @Option(names = "--workers", defaultValue = "-1", paramLabel = "N",
                description = "Local: processes at once (default 1). Slurm: the array's %%M, tasks at once (default: no limit).")
        int workers;

        @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
                description = "Local: PyTorch threads per worker (default: the cores shared among the workers).")
        int threads;

        @Option(names = "--wait", description = "Slurm: wait for the array, with a progress line (local always waits).")
        boolean waitForSlurm;

        @Option(names = "--retry-failed", description = "Also rerun the cells that failed before.")
        boolean retryFailed;

        @Option(names = "--partition", description = "Slurm partition.")
        String partition;

        @Option(names = "--time", paramLabel = "LIMIT", description = "Slurm time limit per cell, e.g. 2:00:00.")
        String time;

        @Option(names = "--cpus-per-task", defaultValue = "0", paramLabel = "N",
                description = "Slurm CPUs per cell (its PyTorch threads too).")
        int cpusPerTask;

        @Option(names = "--gpu", description = "Slurm: --gres=gpu:1 per cell (give the spec \"device\": \"gpu\").")
        boolean gpu;

        @Option(names = "--sbatch", paramLabel = "OPTION", description = "A further sbatch option, e.g. "
                + "--sbatch=--account=lab (repeatable).")
        List<String> sbatch = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Sweep s = sweep();
            int w = workers >= 0 ? workers : backend.equals("local") ? 1 : 0;
            RunOptions o = new RunOptions(backend, w, threads, waitForSlurm, retryFailed,
                    new RunOptions.SlurmOptions(partition, time, cpusPerTask, gpu, sbatch));
            SweepResult r = s.run(o, System.err, Interrupts.cancellation());
            System.out.println(r);
            for (CellStatus c : r.statuses()) {
                if (c.state() == CellState.FAILED) {
                    System.out.println("failed: " + c.cell().label() + " (" + s.dir(c.cell()) + "): "
                            + c.detail().replace("\n", "\n    "));
                }
            }
            if (json) JsonOut.print(System.out, r.toMap());
            return r.interrupted() ? Interrupts.EXIT_CODE : r.failed() > 0 ? 1 : 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Done / running / pending / failed per cell (failures with their exit code and log tail).")
    static final class Status extends Common implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Sweep s = sweep();
            List<CellStatus> st = s.status();
            System.out.print(StatusReport.text(s, st));
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("sweep", s.spec().name());
                m.put("cells", st.size());
                for (CellState k : CellState.values()) {
                    m.put(k.toString(), st.stream().filter(x -> x.state() == k).count());
                }
                JsonOut.print(System.out, m);
            }
            return 0;
        }
    }
}
