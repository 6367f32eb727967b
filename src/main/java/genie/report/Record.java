package genie.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.quant.UnitReport;
import genie.synth.SynthReport;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run record: one folder per run holding what is needed to compare and reproduce it.
 * <pre>
 * DIR/record.json     kind, created, seed, config, versions, metrics, files (everything below, in one object)
 * DIR/config.json     the run's settings (method, bits, data, iterations, seed, ...)
 * DIR/metrics.json    its figures (fp32_top1, quant_top1, losses, timings, ...)
 * DIR/losses.csv      loss curves, long format: curve,step,value (synthesis batches, reconstruction units)
 * DIR/plots/*.png     charts and images
 * DIR/tables/*.csv    tables
 * </pre>
 * Written by {@code genie run|quantize|synth --record DIR}, by scripts and notebooks with {@link #write(Path, Map, Map)}
 * or the {@link #of(String) builder}, and aggregated by {@code genie report DIR...} ({@link RecordTable}).
 */
public final class Record {
    public static final String FILE = "record.json";
    public static final String GENIE_VERSION = "0.1.0";
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private final String kind;
    private final Map<String, Object> config = new LinkedHashMap<>();
    private final Map<String, Object> metrics = new LinkedHashMap<>();
    private final Map<String, float[]> curves = new LinkedHashMap<>();
    private final Map<String, Object> plots = new LinkedHashMap<>();
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private Long seed;

    private Record(String kind) {
        this.kind = kind;
    }

    /** A record of this kind (e.g. "run", "quantize", "synth", "notebook:04_ablations", "script"). */
    public static Record of(String kind) {
        return new Record(kind);
    }

    /** Writes a record with the given settings and figures; returns {@code dir}. */
    public static Path write(Path dir, Map<String, ?> config, Map<String, ?> metrics) throws IOException {
        return of("notebook").config(config).metrics(metrics).write(dir);
    }

    /**
     * Writes a record; {@code attachments} may be charts, images ({@link BufferedImage}), tables, unit reports
     * ({@code List<UnitReport>}) or a {@link SynthReport} (their loss curves go to losses.csv).
     */
    public static Path write(Path dir, String kind, Map<String, ?> config, Map<String, ?> metrics,
            Object... attachments) throws IOException {
        Record r = of(kind).config(config).metrics(metrics);
        int n = 0;
        for (Object a : attachments) {
            n++;
            r.attach("plot" + n, a);
        }
        return r.write(dir);
    }

    public Record seed(long seed) {
        this.seed = seed;
        return this;
    }

    public Record config(Map<String, ?> values) {
        if (values != null) values.forEach(config::put);
        return this;
    }

    public Record config(String key, Object value) {
        config.put(key, value);
        return this;
    }

    public Record metrics(Map<String, ?> values) {
        if (values != null) values.forEach(metrics::put);
        return this;
    }

    public Record metric(String key, Object value) {
        metrics.put(key, value);
        return this;
    }

    public Record curve(String name, float[] values) {
        curves.put(name, values);
        return this;
    }

    /** Reconstruction loss curves, one per unit ({@code rec:UNIT}, {@code round:UNIT}). */
    public Record units(List<UnitReport> reports) {
        if (reports == null) return this;
        for (UnitReport u : reports) {
            curves.put("rec:" + u.name(), u.recLoss());
            curves.put("round:" + u.name(), u.roundLoss());
        }
        if (reports.size() > 0) {
            plots.putIfAbsent("unit_losses", Charts.unitLosses(reports));
        }
        return this;
    }

    /** Synthesis loss curves, one per batch ({@code synth:bN}). */
    public Record synth(SynthReport report) {
        if (report == null) return this;
        for (int b = 0; b < report.curves().size(); b++) {
            curves.put("synth:b" + b, report.curves().get(b));
        }
        if (!report.curves().isEmpty()) {
            plots.putIfAbsent("synth_loss", Charts.synthLoss(report.curves()));
        }
        return this;
    }

    public Record plot(String name, Chart<?, ?> chart) {
        plots.put(name, chart);
        return this;
    }

    public Record image(String name, BufferedImage image) {
        plots.put(name, image);
        return this;
    }

    public Record table(String name, Table table) {
        tables.put(name, table);
        return this;
    }

    /** Adds a chart, image, table, unit reports or a synthesis report under a name. */
    @SuppressWarnings("unchecked")
    public Record attach(String name, Object a) {
        if (a instanceof Chart<?, ?> c) {
            plot(name, c);
        } else if (a instanceof BufferedImage img) {
            image(name, img);
        } else if (a instanceof Table t) {
            table(t.name() == null || t.name().isBlank() ? name : t.name(), t);
        } else if (a instanceof SynthReport s) {
            synth(s);
        } else if (a instanceof List<?> l && (l.isEmpty() || l.get(0) instanceof UnitReport)) {
            units((List<UnitReport>) l);
        } else if (a != null) {
            throw new IllegalArgumentException("cannot attach a " + a.getClass().getName()
                    + " to a record (charts, images, tables, List<UnitReport>, SynthReport)");
        }
        return this;
    }

    /** Writes the folder (created if needed; files of an earlier record there are replaced). */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> files = new ArrayList<>(List.of(FILE, "config.json", "metrics.json"));
        Long s = seed;
        if (s == null && config.get("seed") instanceof Number n) s = n.longValue();
        if (s == null && metrics.get("seed") instanceof Number n) s = n.longValue();
        if (!curves.isEmpty()) {
            StringBuilder csv = new StringBuilder("curve,step,value\n");
            curves.forEach((name, values) -> {
                for (int i = 0; i < values.length; i++) {
                    csv.append(csvField(name)).append(',').append(i).append(',').append(values[i]).append('\n');
                }
            });
            Files.writeString(dir.resolve("losses.csv"), csv, StandardCharsets.UTF_8);
            files.add("losses.csv");
        }
        for (Map.Entry<String, Object> p : plots.entrySet()) {
            Path file = dir.resolve("plots").resolve(safe(p.getKey()) + ".png");
            Files.createDirectories(file.getParent());
            if (p.getValue() instanceof Chart<?, ?> c) {
                Files.write(file, Charts.png(c));
            } else {
                Images.save((BufferedImage) p.getValue(), file);
            }
            files.add(dir.relativize(file).toString());
        }
        for (Map.Entry<String, Table> t : tables.entrySet()) {
            Path file = dir.resolve("tables").resolve(safe(t.getKey()) + ".csv");
            Tables.csv(t.getValue(), file);
            files.add(dir.relativize(file).toString());
        }
        JsonObject cfg = toJson(config);
        JsonObject met = toJson(metrics);
        JsonObject rec = new JsonObject();
        rec.addProperty("kind", kind);
        rec.addProperty("created", Instant.now().toString());
        if (s != null) rec.addProperty("seed", s);
        else rec.add("seed", null);
        rec.add("config", cfg);
        rec.add("versions", toJson(versions()));
        rec.add("metrics", met);
        rec.add("files", GSON.toJsonTree(files));
        Files.writeString(dir.resolve("config.json"), GSON.toJson(cfg) + "\n");
        Files.writeString(dir.resolve("metrics.json"), GSON.toJson(met) + "\n");
        Files.writeString(dir.resolve(FILE), GSON.toJson(rec) + "\n");
        return dir;
    }

    /** Reads DIR/record.json. */
    public static JsonObject read(Path dir) throws IOException {
        Path f = Files.isDirectory(dir) ? dir.resolve(FILE) : dir;
        return JsonParser.parseString(Files.readString(f)).getAsJsonObject();
    }

    /**
     * The metrics of the record in {@code dir} if it was made with exactly these configuration values, else empty:
     * what a resumable experiment checks before redoing a run (a record made with other settings is redone).
     */
    public static java.util.Optional<JsonObject> metricsIfSame(Path dir, Map<String, ?> config) throws IOException {
        if (!Files.isRegularFile(dir.resolve(FILE))) {
            return java.util.Optional.empty();
        }
        JsonObject rec = read(dir);
        return rec.has("config") && rec.get("config").equals(toJson(config)) && rec.has("metrics")
                ? java.util.Optional.of(rec.getAsJsonObject("metrics")) : java.util.Optional.empty();
    }

    /** Record folders at or below the given paths (depth 6), in path order. */
    public static List<Path> find(List<Path> roots) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) throw new java.nio.file.NoSuchFileException(root.toString(), null, "no such record folder");
            if (Files.isRegularFile(root) && root.getFileName().toString().equals(FILE)) {
                out.add(root.toAbsolutePath().getParent());
                continue;
            }
            try (Stream<Path> s = Files.walk(root, 6)) {
                s.filter(p -> p.getFileName().toString().equals(FILE)).map(Path::getParent).sorted().forEach(out::add);
            }
        }
        return out;
    }

    /** Java, DJL, PyTorch, Genie and git versions (what is available). */
    public static Map<String, Object> versions() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("genie", GENIE_VERSION);
        v.put("java", System.getProperty("java.version"));
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        try {
            v.put("djl", ai.djl.engine.Engine.getDjlVersion());
            v.put("pytorch", genie.util.Engines.engine().getVersion());
            v.put("threads", genie.util.Engines.threads());
        } catch (RuntimeException | LinkageError e) {
            v.put("engine", "unavailable: " + e.getMessage());
        }
        String git = gitCommit(Path.of("").toAbsolutePath());
        if (git != null) v.put("git", git);
        return v;
    }

    /** The commit checked out in the repository containing {@code dir} (reads .git, runs nothing). */
    static String gitCommit(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            Path git = d.resolve(".git");
            try {
                if (Files.isRegularFile(git)) { // worktree: "gitdir: PATH"
                    String line = Files.readString(git).strip();
                    if (!line.startsWith("gitdir:")) return null;
                    git = d.resolve(line.substring(7).strip());
                }
                if (!Files.isDirectory(git)) continue;
                String head = Files.readString(git.resolve("HEAD")).strip();
                if (!head.startsWith("ref:")) return head;
                String ref = head.substring(4).strip();
                Path refFile = git.resolve(ref);
                if (!Files.exists(refFile) && Files.isRegularFile(git.resolve("commondir"))) {
                    refFile = git.resolve(Files.readString(git.resolve("commondir")).strip()).resolve(ref);
                }
                if (Files.exists(refFile)) return Files.readString(refFile).strip();
                Path common = Files.isRegularFile(git.resolve("commondir"))
                        ? git.resolve(Files.readString(git.resolve("commondir")).strip()) : git;
                Path packed = common.resolve("packed-refs");
                if (Files.exists(packed)) {
                    for (String l : Files.readAllLines(packed)) {
                        if (l.endsWith(" " + ref)) return l.substring(0, l.indexOf(' '));
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ helpers

    static JsonObject toJson(Map<String, ?> map) {
        JsonElement e = GSON.toJsonTree(map == null ? Map.of() : map);
        return e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
    }

    static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        return s.isEmpty() ? "plot" : s;
    }

    static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static void check(boolean ok, String msg) {
        if (!ok) throw new UncheckedIOException(new IOException(msg));
    }
}
