package genie.sweep;

import com.google.gson.JsonObject;
import genie.report.Record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The markers beside a cell's run record. The task script (the same for both backends) writes them, so the state
 * survives this process, a node, or a cancelled Slurm job:
 * <pre>
 * sweep-args      the cell's `genie run` arguments, one per line (written before it is started)
 * sweep-started   "host pid job task" while it runs
 * sweep-done      the run ended with status 0 and wrote record.json
 * sweep-failed    exit code on the first line, optionally the reason (Slurm's state) on the second
 * sweep.log       stdout and stderr of the run
 * </pre>
 * An interrupted run (status 130) leaves neither marker: the cell is pending again.
 */
final class CellFolder {
    static final String ARGS = "sweep-args";
    static final String STARTED = "sweep-started";
    static final String DONE = "sweep-done";
    static final String FAILED = "sweep-failed";
    static final String LOG = "sweep.log";
    static final int TAIL_LINES = 12;

    private CellFolder() {}

    /**
     * The state of {@code cell} in {@code dir}; {@code queued} maps a cell folder to "queued in job J" or
     * "running in job J" for the tasks Slurm still holds.
     */
    static CellStatus status(Cell cell, Path dir, Map<Path, String> queued) {
        try {
            if (Files.isRegularFile(dir.resolve(DONE)) && Files.isRegularFile(dir.resolve(Record.FILE))) {
                JsonObject m = Record.read(dir).getAsJsonObject("metrics");
                if (m != null && !m.has("status")) {
                    return new CellStatus(cell, CellState.DONE, "", m);
                }
            }
            String inSlurm = queued.get(dir);
            if (inSlurm != null) {
                return new CellStatus(cell, inSlurm.startsWith("running") ? CellState.RUNNING : CellState.PENDING, inSlurm, null);
            }
            if (Files.isRegularFile(dir.resolve(FAILED))) {
                return new CellStatus(cell, CellState.FAILED, failure(dir), null);
            }
            Path started = dir.resolve(STARTED);
            if (Files.isRegularFile(started)) {
                String[] f = Files.readString(started).trim().split("\\s+");
                if (f.length >= 2 && f[0].equals(host()) && ProcessHandle.of(Long.parseLong(f[1])).map(ProcessHandle::isAlive).orElse(false)) {
                    return new CellStatus(cell, CellState.RUNNING, "pid " + f[1], null);
                }
            }
            return new CellStatus(cell, CellState.PENDING, "", null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sweep cell folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** "exit N (reason)" and the log's last lines. */
    static String failure(Path dir) throws IOException {
        List<String> marker = Files.readAllLines(dir.resolve(FAILED));
        StringBuilder sb = new StringBuilder("exit ").append(marker.isEmpty() ? "?" : marker.get(0).trim());
        if (marker.size() > 1) sb.append(" (").append(marker.get(1).trim()).append(')');
        String tail = tail(dir.resolve(LOG));
        if (!tail.isEmpty()) sb.append('\n').append(tail);
        return sb.toString();
    }

    /** The last lines of a log, progress-bar redraws dropped. */
    static String tail(Path log) throws IOException {
        if (!Files.isRegularFile(log)) return "";
        String[] lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).replace('\r', '\n').split("\n");
        List<String> kept = java.util.Arrays.stream(lines).filter(l -> !l.isBlank()).toList();
        return String.join("\n", kept.subList(Math.max(0, kept.size() - TAIL_LINES), kept.size()));
    }

    /** Writes the arguments and clears the markers of an earlier attempt, before the cell is started. */
    static void prepare(Path dir, List<String> args) throws IOException {
        Files.createDirectories(dir);
        for (String m : List.of(DONE, FAILED, STARTED)) Files.deleteIfExists(dir.resolve(m));
        Files.write(dir.resolve(ARGS), args, StandardCharsets.UTF_8);
    }

    /** Marks a cell failed where its task could not (killed by Slurm for time or memory). */
    static void fail(Path dir, String exitCode, String reason) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(FAILED), exitCode + "\n" + reason + "\n");
    }

    static String host() {
        // The kernel's node name, as the task script's `uname -n` writes it.
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
