package genie.sweep;

import java.util.List;

/**
 * How to run a sweep's missing cells.
 *
 * @param backend      "local" (worker processes here) or "slurm" (one job array)
 * @param workers      local: processes at once; Slurm: the array's %M limit (0: no limit)
 * @param threads      local: PyTorch threads per worker (0: the machine's cores shared among the workers)
 * @param waitForSlurm Slurm: wait for the array, with a progress line (local always waits)
 * @param retryFailed  also rerun cells that failed before
 * @param slurm        sbatch options
 */
public record RunOptions(String backend, int workers, int threads, boolean waitForSlurm, boolean retryFailed,
        SlurmOptions slurm) {
    public RunOptions {
        if (!backend.equals("local") && !backend.equals("slurm")) {
            throw new IllegalArgumentException("unknown backend '" + backend + "': use local or slurm");
        }
        if (workers < 0) throw new IllegalArgumentException("--workers must be >= 0, got " + workers);
        if (threads < 0) throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
    }

    /** The local backend with {@code workers} processes. */
    public static RunOptions local(int workers) {
        return new RunOptions("local", workers, 0, true, false, SlurmOptions.NONE);
    }

    public RunOptions retryingFailed() {
        return new RunOptions(backend, workers, threads, waitForSlurm, true, slurm);
    }

    /**
     * sbatch options of the array.
     *
     * @param partition   --partition, or null
     * @param time        --time, or null
     * @param cpusPerTask --cpus-per-task (also each cell's PyTorch threads), 0 for Slurm's default
     * @param gpu         --gres=gpu:1 (give the spec "budget": {"device": "gpu"} so the cells use it)
     * @param extra       further sbatch options, passed as given
     */
    public record SlurmOptions(String partition, String time, int cpusPerTask, boolean gpu, List<String> extra) {
        public static final SlurmOptions NONE = new SlurmOptions(null, null, 0, false, List.of());
    }
}
