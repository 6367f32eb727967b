package genie.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.report.Record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tiny grid of the sweep ITs and the helpers to run `genie sweep` on it as a user would. */
final class SweepTestSupport {
    /** 2 data sources x 2 methods x 2 seeds at a budget of seconds per cell. */
    static final String GRID = """
            {"name": "grid", "model": "default", "data": ["genie-d", "noise"], "method": ["rtn", "genie"],
             "bits": ["w4a4"], "seeds": [0, 1],
             "budget": {"samples": 32, "synth_batch": 32, "synth_iters": 2, "recon_iters": 2, "eval_limit": 200}}
            """;
    static final Duration LONG = Duration.ofMinutes(12);

    private SweepTestSupport() {}

    record Result(int rc, String stdout, String stderr, JsonObject json) {
        int get(String key) {
            return json.get(key).getAsInt();
        }

        String all() {
            return "--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    static Path spec(Path dir, String json) throws IOException {
        Path f = dir.resolve("spec.json");
        Files.writeString(f, json);
        return f;
    }

    /** Runs `genie ARGS` to the end in a fresh folder under {@code dir}; parses the closing JSON line if any. */
    static Result genie(Path dir, String... args) throws Exception {
        Path run = Files.createTempDirectory(dir, "cmd");
        try (GenieProcess g = GenieProcess.start(run, args)) {
            int rc = g.awaitExit(LONG);
            String out = g.stdout();
            String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            return new Result(rc, out, g.stderr(), last == null ? null : JsonParser.parseString(last).getAsJsonObject());
        }
    }

    static List<Path> records(Path records) throws IOException {
        return Record.find(List.of(records.resolve("grid")));
    }

    /** Deletes two cells' record folders (a user cleaning up, a lost disk). */
    static void deleteTwo(Path records) throws IOException {
        List<Path> cells = records(records);
        for (Path p : cells.subList(0, 2)) {
            try (var s = Files.walk(p)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        assertEquals(6, records(records).size());
    }
}
