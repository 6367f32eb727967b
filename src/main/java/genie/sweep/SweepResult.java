package genie.sweep;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code sweep run} did. {@code computed} counts cells of this run that ended with a record, {@code read_back}
 * those recorded before, {@code failed} every cell now failed (retried or not).
 *
 * @param submitted cells handed to the backend
 * @param job       the Slurm job id, or null
 * @param interrupted the run was stopped (Ctrl-C): finished cells are kept, the others are pending
 */
public record SweepResult(String name, String backend, int cells, int computed, int readBack, int failed, int running,
        int pending, int submitted, String job, boolean interrupted, double seconds, Path records,
        List<CellStatus> statuses) {

    /** The closing JSON line's fields. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sweep", name);
        m.put("backend", backend);
        m.put("cells", cells);
        m.put("computed", computed);
        m.put("read_back", readBack);
        m.put("failed", failed);
        m.put("running", running);
        m.put("pending", pending);
        m.put("submitted", submitted);
        if (job != null) m.put("job", job);
        if (interrupted) m.put("status", "interrupted");
        m.put("seconds", Math.round(seconds * 10) / 10.0);
        m.put("records", records.toString());
        return m;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "sweep %s: %d cells: computed %d, read back %d, failed %d%s%s (%.1f s)",
                name, cells, computed, readBack, failed, running + pending > 0 ? ", " + running + " running, " + pending
                        + " pending" : "", interrupted ? ", interrupted" : "", seconds);
    }
}
