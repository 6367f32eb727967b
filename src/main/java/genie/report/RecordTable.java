package genie.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Many run records as one table: a row per record, columns for the record name, kind and seed, then every scalar
 * setting (config) and figure (metrics) any record has, the usual ones first. Numbers that every record has as
 * numbers make a numeric column; anything else is text; missing values are empty.
 */
public final class RecordTable {
    /** Columns shown first when present, in this order. */
    static final List<String> PREFERRED = List.of("model", "data", "method", "wbits", "abits", "samples",
            "recon_iters", "iters", "fp32_top1", "quant_top1", "eval_images", "synth_final_loss", "seconds_synth",
            "seconds_quant");

    private RecordTable() {}

    /** The table of the records at or below {@code roots}. */
    public static Table of(List<Path> roots) throws IOException {
        List<Path> dirs = Record.find(roots);
        List<JsonObject> records = new ArrayList<>();
        for (Path d : dirs) records.add(Record.read(d));
        return table(dirs, records);
    }

    static Table table(List<Path> dirs, List<JsonObject> records) {
        List<Map<String, JsonElement>> rows = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (JsonObject r : records) {
            Map<String, JsonElement> row = new LinkedHashMap<>();
            row.put("kind", r.get("kind"));
            row.put("seed", r.get("seed"));
            for (String part : List.of("config", "metrics")) {
                if (r.has(part) && r.get(part).isJsonObject()) {
                    for (Map.Entry<String, JsonElement> e : r.getAsJsonObject(part).entrySet()) {
                        if (e.getValue().isJsonPrimitive() && !e.getKey().equals("seed")) {
                            row.putIfAbsent(e.getKey(), e.getValue());
                            keys.add(e.getKey());
                        }
                    }
                }
            }
            rows.add(row);
        }
        List<String> order = new ArrayList<>(List.of("kind", "seed"));
        for (String k : PREFERRED) if (keys.contains(k)) order.add(k);
        for (String k : keys) if (!order.contains(k)) order.add(k);

        List<Column<?>> columns = new ArrayList<>();
        StringColumn name = StringColumn.create("record");
        Path common = commonParent(dirs);
        for (Path d : dirs) {
            Path abs = d.toAbsolutePath(); // records may be named relative to the notebook, the common parent is not
            name.append(common == null || common.equals(abs) ? abs.getFileName().toString()
                    : common.relativize(abs).toString());
        }
        columns.add(name);
        for (String k : order) {
            boolean numeric = rows.stream().map(r -> r.get(k)).allMatch(v -> v == null || v.isJsonNull()
                    || (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()));
            if (numeric && !k.equals("kind")) {
                DoubleColumn c = DoubleColumn.create(k);
                for (Map<String, JsonElement> r : rows) {
                    JsonElement v = r.get(k);
                    if (v == null || v.isJsonNull()) c.appendMissing();
                    else c.append(round(v.getAsDouble()));
                }
                columns.add(c);
            } else {
                StringColumn c = StringColumn.create(k);
                for (Map<String, JsonElement> r : rows) {
                    JsonElement v = r.get(k);
                    c.append(v == null || v.isJsonNull() ? "" : v.getAsString());
                }
                columns.add(c);
            }
        }
        return Table.create("runs", columns.toArray(new Column<?>[0]));
    }

    static Path commonParent(List<Path> dirs) {
        if (dirs.isEmpty()) return null;
        Path c = dirs.get(0).toAbsolutePath().getParent();
        for (Path d : dirs) {
            while (c != null && !d.toAbsolutePath().startsWith(c)) c = c.getParent();
        }
        return c;
    }

    static double round(double v) {
        if (!Double.isFinite(v) || v == Math.rint(v)) return v;
        double mag = Math.abs(v);
        double f = mag >= 100 ? 100 : mag >= 1 ? 1e4 : 1e6;
        return Math.round(v * f) / f;
    }
}
