package genie.sweep;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One submission of a sweep's missing cells, in {@code RECORDS/.sweep/NAME/STAMP/}: {@code cells.txt} (task i runs
 * the cell folder on line i+1), {@code manifest.json} (the same with the cells' labels and ids), {@code jvm.args}
 * (this JVM's class path and the launcher's flags) and {@code task.sh}, which both backends run: the local pool as
 * {@code task.sh i}, Slurm as an array task.
 */
final class Manifest {
    /** The launcher's flags (see ./genie): DJL never phones home, one inter-op thread, quiet logging. */
    static final List<String> JVM_FLAGS = List.of("-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
            "-Dai.djl.pytorch.num_interop_threads=1", "-Xss8m", "-Dslf4j.internal.verbosity=WARN",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    final Path dir;
    final List<Cell> cells;
    final List<Path> cellDirs;

    private Manifest(Path dir, List<Cell> cells, List<Path> cellDirs) {
        this.dir = dir;
        this.cells = cells;
        this.cellDirs = cellDirs;
    }

    /** Writes the submission of {@code cells} (their folders get their arguments, earlier markers are cleared). */
    static Manifest write(Sweep sweep, String backend, List<Cell> cells) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        Path dir = sweep.metaDir().resolve(stamp);
        Files.createDirectories(dir.resolve("logs"));
        List<Path> dirs = new ArrayList<>();
        JsonArray list = new JsonArray();
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            Path d = sweep.dir(c);
            CellFolder.prepare(d, c.args(d, sweep.synthCache()));
            dirs.add(d);
            JsonObject o = new JsonObject();
            o.addProperty("task", i);
            o.addProperty("id", c.id());
            o.addProperty("cell", c.label());
            o.addProperty("dir", d.toString());
            list.add(o);
        }
        JsonObject m = new JsonObject();
        m.addProperty("sweep", sweep.spec().name());
        m.addProperty("backend", backend);
        m.addProperty("created", java.time.Instant.now().toString());
        m.add("cells", list);
        Files.writeString(dir.resolve("manifest.json"), new GsonBuilder().setPrettyPrinting().create().toJson(m) + "\n");
        Files.write(dir.resolve("cells.txt"), dirs.stream().map(Path::toString).toList(), StandardCharsets.UTF_8);
        Files.write(dir.resolve("jvm.args"), jvmArgs(), StandardCharsets.UTF_8);
        Path script = dir.resolve("task.sh");
        Files.writeString(script, script(dir, sweep.spec().name()));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new Manifest(dir, cells, dirs);
    }

    Path script() {
        return dir.resolve("task.sh");
    }

    /** The class path of this JVM with absolute entries (the launcher's are relative to the checkout). */
    static List<String> jvmArgs() {
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isBlank()) cp.add(Path.of(e).toAbsolutePath().normalize().toString());
        }
        List<String> out = new ArrayList<>(JVM_FLAGS);
        out.add("-cp");
        out.add("\"" + String.join(File.pathSeparator, cp).replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        return out;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String script(Path dir, String name) {
        return """
                #!/usr/bin/env bash
                # One cell of sweep %s: `genie run` for line i+1 of cells.txt, then a done or failed marker beside its
                # record (see genie.sweep.CellFolder). i is the first argument, or Slurm's array task id.
                set -u
                here=%s
                i="${1:-${SLURM_ARRAY_TASK_ID:?give the task index, or run this as a Slurm array task}}"
                dir=$(sed -n "$((i + 1))p" "$here/cells.txt")
                [ -n "$dir" ] || { echo "sweep task $i: no such line in $here/cells.txt" >&2; exit 2; }
                mapfile -t args < "$dir/sweep-args"
                rm -f "$dir/sweep-done" "$dir/sweep-failed"
                echo "$(uname -n) $$ ${SLURM_ARRAY_JOB_ID:-} ${SLURM_ARRAY_TASK_ID:-}" > "$dir/sweep-started"
                # DJL must never phone home, wherever this runs.
                export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
                threads="${GENIE_THREADS:-${SLURM_CPUS_PER_TASK:-1}}"
                cd %s || exit 2
                %s @"$here/jvm.args" -Dai.djl.pytorch.num_threads="$threads" ${GENIE_JAVA_OPTS:-} \\
                    genie.cli.Main run "${args[@]}" > "$dir/sweep.log" 2>&1
                rc=$?
                # 130 (Ctrl-C) and 143 (scancel's SIGTERM) leave the cell pending: the next sweep run redoes it.
                if [ $rc = 0 ] && [ -f "$dir/record.json" ]; then date -u +%%FT%%TZ > "$dir/sweep-done"
                elif [ $rc != 130 ] && [ $rc != 143 ]; then echo "$rc" > "$dir/sweep-failed"; fi
                rm -f "$dir/sweep-started"
                exit $rc
                """.formatted(name, quote(dir.toString()), quote(System.getProperty("user.dir")), quote(java()));
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
