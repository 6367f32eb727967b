package genie.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Run records grouped by their settings without the seed: the mean, sample standard deviation and count of the
 * quantized top-1 (and the quantization time) over the seeds of each group. What {@code genie report} and the
 * notebooks show for a sweep with several seeds.
 */
public final class SeedStatistics {
    /** Settings that differ between runs of one experiment without changing it: paths, output flags. */
    static final Set<String> NOT_SETTINGS = Set.of("seed", "argv", "out", "export", "command");
    /** argv options whose value is a path, a seed or a memory budget (dropped when argv tells groups apart). */
    static final Set<String> ARGV_PER_RUN = Set.of("--seed", "--record", "--cache", "--save-data", "--out",
            "--cache-memory", "--spill-dir");

    /**
     * Settings added after records existed, with the value that means "off" (what every older record ran with): a
     * record that has one at that value groups with the records that lack it.
     */
    static final Map<String, String> ADDED_OFF = Map.of("synth.lowpass", "0.0", "synth.synth_augment", "false",
            "synth.bn_global", "false", "synth.label_ce", "0.0", "quant.recon_schedule", "paper");

    /** Whether flattened setting {@code key} (under {@code config.} in run records) is an added one at its off value. */
    private static boolean addedOff(String key, String value) {
        for (Map.Entry<String, String> a : ADDED_OFF.entrySet()) {
            if ((key.equals(a.getKey()) || key.endsWith("." + a.getKey())) && a.getValue().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Columns shown even when all groups agree on them. */
    static final List<String> ALWAYS = List.of("model", "data", "method", "wbits", "abits");

    private SeedStatistics() {}

    /**
     * One group.
     *
     * @param key      every setting, flattened ({@code synth.iterations}), without the seed
     * @param seeds    the seeds of its runs
     * @param top1     their quantized top-1 in percent
     * @param seconds  their quantization seconds (NaN where not recorded)
     */
    public record Group(Map<String, String> key, List<Long> seeds, List<Double> top1, List<Double> seconds) {
        public double mean() {
            return SeedStatistics.mean(top1);
        }

        /** Sample standard deviation (n - 1); NaN for one run. */
        public double std() {
            return SeedStatistics.std(top1);
        }

        public int n() {
            return top1.size();
        }

        /** "88.70 ± 0.12", or "88.70" for a single run. */
        public String meanStd() {
            return n() > 1 ? String.format(Locale.ROOT, "%.2f ± %.2f", mean(), std()) : String.format(Locale.ROOT, "%.2f", mean());
        }
    }

    /** Groups of the records at or below {@code roots} that have a quantized top-1. */
    public static List<Group> of(List<Path> roots) throws IOException {
        List<JsonObject> records = new ArrayList<>();
        for (Path d : Record.find(roots)) records.add(Record.read(d));
        return groups(records);
    }

    public static List<Group> groups(List<JsonObject> records) {
        Map<Map<String, String>, Group> out = new LinkedHashMap<>();
        for (JsonObject r : records) {
            JsonObject m = r.has("metrics") && r.get("metrics").isJsonObject() ? r.getAsJsonObject("metrics") : new JsonObject();
            if (!m.has("quant_top1") || m.has("status")) continue; // interrupted runs are not results
            Map<String, String> key = new TreeMap<>();
            key.put("kind", r.has("kind") ? r.get("kind").getAsString() : "");
            if (r.has("config") && r.get("config").isJsonObject()) flatten("", r.getAsJsonObject("config"), key);
            key.entrySet().removeIf(e -> addedOff(e.getKey(), e.getValue()));
            Group g = out.computeIfAbsent(key, k -> new Group(k, new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
            g.seeds.add(r.has("seed") && !r.get("seed").isJsonNull() ? r.get("seed").getAsLong() : -1L);
            g.top1.add(m.get("quant_top1").getAsDouble());
            g.seconds.add(m.has("seconds_quant") ? m.get("seconds_quant").getAsDouble() : Double.NaN);
        }
        return List.copyOf(out.values());
    }

    private static void flatten(String prefix, JsonObject o, Map<String, String> into) {
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            String k = prefix + e.getKey();
            JsonElement v = e.getValue();
            if (NOT_SETTINGS.contains(e.getKey()) && !(prefix.isEmpty() && e.getKey().equals("argv"))) continue;
            if (e.getKey().equals("argv") && v.isJsonArray()) {
                into.put(k, argv(v));
            } else if (v.isJsonObject()) {
                flatten(k + ".", v.getAsJsonObject(), into);
            } else if (!v.isJsonNull()) {
                into.put(k, v.isJsonPrimitive() ? v.getAsString() : v.toString());
            }
        }
    }

    private static String argv(JsonElement a) {
        List<String> kept = new ArrayList<>();
        List<JsonElement> l = a.getAsJsonArray().asList();
        for (int i = 0; i < l.size(); i++) {
            String s = l.get(i).getAsString();
            if (ARGV_PER_RUN.contains(s)) i++;
            else if (!s.equals("--json") && !s.equals("--quiet")) kept.add(s);
        }
        return String.join(" ", kept);
    }

    /** The groups as a table: the settings that tell them apart, n, seeds, mean, std and "mean ± std". */
    public static Table table(List<Group> groups) {
        List<String> shown = distinguishing(groups);
        List<Column<?>> cols = new ArrayList<>();
        for (String k : shown) {
            StringColumn c = StringColumn.create(k);
            groups.forEach(g -> c.append(g.key.getOrDefault(k, "")));
            cols.add(c);
        }
        IntColumn n = IntColumn.create("n");
        StringColumn seeds = StringColumn.create("seeds");
        DoubleColumn mean = DoubleColumn.create("top-1 % mean");
        DoubleColumn std = DoubleColumn.create("top-1 % std");
        StringColumn ms = StringColumn.create("top-1 % (mean ± std)");
        DoubleColumn secs = DoubleColumn.create("quantize s mean");
        for (Group g : groups) {
            n.append(g.n());
            seeds.append(String.join(",", g.seeds.stream().map(String::valueOf).toList()));
            mean.append(RecordTable.round(g.mean()));
            if (g.n() > 1) std.append(Math.round(g.std() * 1e4) / 1e4);
            else std.appendMissing();
            ms.append(g.meanStd());
            secs.append(Math.round(mean(g.seconds) * 10) / 10.0);
        }
        cols.addAll(List.of(n, seeds, mean, std, ms, secs));
        return Table.create("mean ± std over seeds", cols.toArray(new Column<?>[0]));
    }

    /**
     * The settings worth a column: {@link #ALWAYS} where present, then any other that varies; the reduced command
     * line only when nothing else tells two groups apart.
     */
    static List<String> distinguishing(List<Group> groups) {
        Set<String> all = new java.util.TreeSet<>();
        groups.forEach(g -> all.addAll(g.key.keySet()));
        List<String> shown = new ArrayList<>();
        for (String k : ALWAYS) {
            if (all.contains(k)) shown.add(k);
        }
        for (String k : all) {
            if (shown.contains(k) || k.equals("argv")) continue;
            // A setting only some runs have (synthesis settings of synthesized data) tells nothing apart by itself.
            if (groups.stream().filter(g -> g.key.containsKey(k)).map(g -> g.key.get(k)).distinct().count() > 1) shown.add(k);
        }
        Set<List<String>> rows = new HashSet<>();
        for (Group g : groups) rows.add(shown.stream().map(k -> g.key.getOrDefault(k, "")).toList());
        if (rows.size() < groups.size() && all.contains("argv")) shown.add("argv");
        return shown;
    }

    /**
     * One setting down, another across, "mean ± std" in the cells: e.g. data source x quantizer for one bit width.
     * Rows and columns keep the order in which the groups first show them; an empty cell has no group.
     */
    public static Table pivot(List<Group> groups, String rowKey, String columnKey, String title) {
        List<String> rows = groups.stream().map(g -> g.key.getOrDefault(rowKey, "")).distinct().toList();
        List<String> cols = groups.stream().map(g -> g.key.getOrDefault(columnKey, "")).distinct().toList();
        List<Column<?>> columns = new ArrayList<>();
        columns.add(StringColumn.create(rowKey, rows));
        for (String c : cols) {
            StringColumn col = StringColumn.create(c);
            for (String r : rows) {
                col.append(groups.stream().filter(g -> r.equals(g.key.getOrDefault(rowKey, ""))
                        && c.equals(g.key.getOrDefault(columnKey, ""))).findFirst().map(Group::meanStd).orElse(""));
            }
            columns.add(col);
        }
        return Table.create(title, columns.toArray(new Column<?>[0]));
    }

    static double mean(List<Double> v) {
        double s = 0;
        int n = 0;
        for (double x : v) if (!Double.isNaN(x)) { s += x; n++; }
        return n == 0 ? Double.NaN : s / n;
    }

    static double std(List<Double> v) {
        if (v.size() < 2) return Double.NaN;
        double m = mean(v);
        double s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.size() - 1));
    }
}
