package genie.sweep;

import genie.util.Cancellation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Slurm backend: one job array per submission ({@code sbatch --array=0-(N-1)%M}), each task the manifest's task
 * script. {@code RECORDS/.sweep/NAME/jobs} lists the submitted jobs, so status and the next run know which cells
 * Slurm still holds. Tasks that Slurm itself killed (time limit, memory) cannot mark themselves; they are marked
 * failed from {@code scontrol} once their job has left the queue. Cancelled tasks stay pending.
 */
final class Slurm {
    static final String JOBS = "jobs";
    private static final Set<String> FAILURES = Set.of("FAILED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL",
            "DEADLINE");
    private static final long POLL_MS = 1000;

    private Slurm() {}

    record Output(int rc, String out) {}

    /** Submits the manifest's cells as one array; returns the job id. */
    static String submit(Sweep s, Manifest m, RunOptions.SlurmOptions o, int maxParallel) throws IOException {
        int n = m.cells.size();
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable", "--job-name=" + jobName(s),
                "--array=0-" + (n - 1) + (maxParallel > 0 ? "%" + maxParallel : ""),
                "--output=" + m.dir.resolve("logs") + "/%A_%a.out", "--chdir=" + System.getProperty("user.dir")));
        if (o.partition() != null) cmd.add("--partition=" + o.partition());
        if (o.time() != null) cmd.add("--time=" + o.time());
        if (o.cpusPerTask() > 0) cmd.add("--cpus-per-task=" + o.cpusPerTask());
        if (o.gpu()) cmd.add("--gres=gpu:1");
        cmd.addAll(o.extra());
        cmd.add(m.script().toString());
        Output r = exec(cmd);
        if (r.rc != 0) {
            throw new IOException("sbatch failed (exit " + r.rc + "): " + r.out.strip() + "\n  command: " + String.join(" ", cmd));
        }
        String job = r.out.strip().split("[;\\s]")[0];
        Files.writeString(m.dir.resolve("job"), job + "\n");
        Files.writeString(s.metaDir().resolve(JOBS), job + "\t" + m.dir + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return job;
    }

    static String jobName(Sweep s) {
        return "genie-" + s.spec().name();
    }

    /**
     * Cell folders of the tasks Slurm still holds, with "queued in job J_K" or "running in job J_K on NODE"; marks
     * the cells of jobs that have left the queue as failed where Slurm killed them. Empty without a job file.
     */
    static Map<Path, String> queued(Path metaDir) {
        Path jobsFile = metaDir.resolve(JOBS);
        if (!Files.isRegularFile(jobsFile)) return Map.of();
        try {
            Map<String, Path> runs = new LinkedHashMap<>();
            for (String l : Files.readAllLines(jobsFile)) {
                String[] f = l.split("\t");
                if (f.length == 2) runs.put(f[0], Path.of(f[1]));
            }
            Output q;
            try {
                q = exec(List.of("squeue", "-h", "-r", "-o", "%F|%K|%T|%N", "-j", String.join(",", runs.keySet())));
            } catch (NoClient e) {
                return Map.of(); // a records folder from a cluster, read where Slurm is not installed
            }
            Map<Path, String> out = new HashMap<>();
            Set<String> active = new java.util.HashSet<>();
            if (q.rc != 0 && !q.out.contains("Invalid job id")) {
                throw new IOException("squeue failed (exit " + q.rc + "): " + q.out.strip());
            }
            for (String line : q.rc == 0 ? q.out.lines().toList() : List.<String>of()) {
                String[] f = line.strip().split("\\|");
                if (f.length < 3 || !runs.containsKey(f[0])) continue;
                active.add(f[0]);
                Path dir = cellDir(runs.get(f[0]), Integer.parseInt(f[1]));
                if (dir == null) continue;
                boolean running = f[2].equals("RUNNING") || f[2].equals("COMPLETING");
                out.put(dir, (running ? "running in job " : "queued in job ") + f[0] + "_" + f[1]
                        + (running && f.length > 3 ? " on " + f[3] : running ? "" : " (" + f[2].toLowerCase(Locale.ROOT) + ")"));
            }
            for (Map.Entry<String, Path> e : runs.entrySet()) {
                if (!active.contains(e.getKey())) reconcile(e.getKey(), e.getValue());
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot ask Slurm about " + jobsFile + ": " + e.getMessage(), e);
        }
    }

    private static Path cellDir(Path run, int task) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("cells.txt"));
        return task >= 0 && task < lines.size() ? Path.of(lines.get(task)) : null;
    }

    /** Marks the tasks Slurm killed before they could mark themselves; once per job. */
    private static void reconcile(String job, Path run) throws IOException {
        Path done = run.resolve("reconciled");
        if (Files.exists(done)) return;
        Output r = exec(List.of("scontrol", "-o", "show", "job", job));
        if (r.rc == 0) {
            for (String line : r.out.lines().toList()) {
                Map<String, String> f = new HashMap<>();
                for (String kv : line.split("\\s+")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) f.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                String task = f.get("ArrayTaskId");
                String state = f.getOrDefault("JobState", "");
                if (task == null || !task.matches("\\d+") || !FAILURES.contains(state)) continue;
                Path dir = cellDir(run, Integer.parseInt(task));
                if (dir != null && !Files.exists(dir.resolve(CellFolder.DONE)) && !Files.exists(dir.resolve(CellFolder.FAILED))) {
                    CellFolder.fail(dir, f.getOrDefault("ExitCode", "?").split(":")[0], "Slurm: " + state + ", log "
                            + run.resolve("logs").resolve(job + "_" + task + ".out"));
                }
            }
        }
        Files.writeString(done, r.rc == 0 ? "scontrol\n" : "job no longer known to scontrol\n");
    }

    /** Waits for the job with a progress line; true if a cancellation stopped the waiting (the job runs on). */
    static boolean await(Sweep s, String job, Manifest m, PrintStream log, Cancellation cancellation)
            throws InterruptedException {
        long t0 = System.nanoTime();
        String last = "";
        long lastPrint = 0;
        while (true) {
            if (cancellation.requested()) {
                log.printf(Locale.ROOT, "%nsweep: stopped waiting; job %s runs on (scancel %s stops it; finished cells "
                        + "are kept and the next sweep run submits only what is missing)%n", job, job);
                return true;
            }
            Map<Path, String> q = queued(s.metaDir());
            int[] n = new int[4];
            int inJob = 0;
            for (int i = 0; i < m.cells.size(); i++) {
                CellStatus st = CellFolder.status(m.cells.get(i), m.cellDirs.get(i), q);
                n[st.state().ordinal()]++;
                if (q.getOrDefault(m.cellDirs.get(i), "").contains("job " + job + "_")) inJob++;
            }
            String line = String.format(Locale.ROOT, "slurm job %s: %d/%d done, %d failed, %d running, %d queued",
                    job, n[CellState.DONE.ordinal()], m.cells.size(), n[CellState.FAILED.ordinal()],
                    n[CellState.RUNNING.ordinal()], inJob - n[CellState.RUNNING.ordinal()]);
            long now = System.nanoTime();
            if (!line.equals(last) || now - lastPrint > 30_000_000_000L) {
                log.printf(Locale.ROOT, "%s (%.0f s)%n", line, (now - t0) / 1e9);
                last = line;
                lastPrint = now;
            }
            if (inJob == 0) return false;
            Thread.sleep(POLL_MS);
        }
    }

    /** Slurm's client commands are not installed. */
    static final class NoClient extends IOException {
        NoClient(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static Output exec(List<String> cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new NoClient(cmd.get(0) + " not found: Slurm's client commands are not installed here (start a "
                    + "one-node cluster with tools/slurm-local.sh start, or use --backend local)", e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not answer within 60 s");
            }
            return new Output(p.exitValue(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd.get(0), e);
        }
    }
}
