package genie.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import genie.report.Budget;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-cell settings a spec may give in {@code budget}, {@code method_options} and {@code overrides}, each with
 * the {@code genie run} option it becomes; anything else is refused by name, so a typo never silently runs the
 * default.
 */
final class Settings {
    /** Setting name to option; {@code swing: false} and {@code layer_overrides: [...]} are special. */
    static final Map<String, String> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("samples", "--samples");
        OPTIONS.put("synth_batch", "--batch");
        OPTIONS.put("synth_iters", "--synth-iters");
        OPTIONS.put("recon_iters", "--recon-iters");
        OPTIONS.put("recon_batch", "--recon-batch");
        OPTIONS.put("round_weight", "--round-weight");
        OPTIONS.put("eval_limit", "--eval-limit");
        OPTIONS.put("eval_data", "--eval-data");
        OPTIONS.put("device", "--device");
        OPTIONS.put("cache_memory", "--cache-memory");
        OPTIONS.put("swing", "--no-swing");
        OPTIONS.put("layer_overrides", "--override");
    }

    /** What a spec must fix (the rest keeps {@code genie run}'s defaults). */
    static final List<String> REQUIRED = List.of("samples", "synth_batch", "synth_iters", "recon_iters", "eval_limit");

    private Settings() {}

    /** {@code "budget": "tiny"} (a {@link Budget} level) or an object, optionally with {@code "level"}. */
    static Map<String, Object> budget(JsonElement e, SpecErrors err) {
        Map<String, Object> out = new TreeMap<>();
        JsonObject o;
        if (e == null) {
            throw err.at("budget", "is missing: give {\"samples\": 512, \"synth_batch\": 128, \"synth_iters\": 500, "
                    + "\"recon_iters\": 2000, \"eval_limit\": 10000} or a level, e.g. \"budget\": \"smoke\"");
        }
        if (e.isJsonPrimitive()) {
            o = new JsonObject();
            o.add("level", e);
        } else if (e.isJsonObject()) {
            o = e.getAsJsonObject();
        } else {
            throw err.at("budget", "must be an object or a level name " + levels());
        }
        if (o.has("level")) {
            Budget b;
            try {
                b = Budget.of(o.get("level").getAsString());
            } catch (IllegalArgumentException ex) {
                throw err.at("budget.level", "unknown level '" + o.get("level").getAsString() + "': use one of " + levels());
            }
            out.putAll(Map.of("samples", b.samples(), "synth_batch", b.synthBatch(), "synth_iters", b.synthIters(),
                    "recon_iters", b.ablationReconIters(), "eval_limit", b.evalImages()));
        }
        JsonObject rest = o.deepCopy();
        rest.remove("level");
        out.putAll(values(rest, "budget", err));
        for (String k : REQUIRED) {
            if (!out.containsKey(k)) {
                throw err.at("budget." + k, "is missing (the budget needs " + REQUIRED + ", or a \"level\")");
            }
        }
        return out;
    }

    private static List<String> levels() {
        return Budget.LEVELS.stream().map(Budget::level).toList();
    }

    /** Checked settings of one object ({@code budget}, a method's options, an override's {@code set}). */
    static Map<String, Object> values(JsonObject o, String where, SpecErrors err) {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            String k = e.getKey();
            String key = where + "." + k;
            if (!OPTIONS.containsKey(k)) {
                throw err.at(key, "unknown setting; use one of " + OPTIONS.keySet());
            }
            JsonElement v = e.getValue();
            switch (k) {
                case "swing" -> {
                    if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isBoolean()) throw err.at(key, "must be true or false");
                    out.put(k, v.getAsBoolean());
                }
                case "layer_overrides" -> {
                    if (!v.isJsonArray()) throw err.at(key, "must be a list like [\"layer3.*=w2a4\", \"fc=w8\"]");
                    List<String> l = new ArrayList<>();
                    for (JsonElement x : v.getAsJsonArray()) {
                        if (!x.isJsonPrimitive() || !x.getAsString().contains("=")) {
                            throw err.at(key, "entries look like \"layer3.*=w2a4\", got " + x);
                        }
                        l.add(x.getAsString());
                    }
                    out.put(k, l);
                }
                case "cache_memory" -> {
                    String size = v.isJsonPrimitive() ? v.getAsString() : null;
                    try {
                        genie.quant.CacheBudget.parse(size, null);
                    } catch (IllegalArgumentException ex) {
                        throw err.at(key, "must be a size like \"512m\" or \"4g\", \"auto\" or \"unlimited\", got " + v);
                    }
                    out.put(k, size);
                }
                case "eval_data", "device" -> {
                    if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) throw err.at(key, "must be a string");
                    out.put(k, v.getAsString());
                }
                case "round_weight" -> out.put(k, number(v, key, err, 0));
                default -> out.put(k, (int) integer(v, key, err, k.equals("eval_limit") || k.equals("recon_iters") ? 0 : 1));
            }
        }
        return out;
    }

    static long integer(JsonElement v, String key, SpecErrors err, long min) {
        if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) throw err.at(key, "must be a whole number");
        double d = v.getAsDouble();
        if (d != Math.rint(d)) throw err.at(key, "must be a whole number, got " + v);
        if (d < min) throw err.at(key, "must be >= " + min + ", got " + v);
        return (long) d;
    }

    private static double number(JsonElement v, String key, SpecErrors err, double min) {
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) throw err.at(key, "must be a number");
        if (v.getAsDouble() < min) throw err.at(key, "must be >= " + min + ", got " + v);
        return v.getAsDouble();
    }

    /** The {@code genie run} options for these settings, in a fixed order. */
    static List<String> args(Map<String, Object> settings) {
        List<String> a = new ArrayList<>();
        for (Map.Entry<String, String> o : OPTIONS.entrySet()) {
            Object v = settings.get(o.getKey());
            if (v == null) continue;
            switch (o.getKey()) {
                case "swing" -> { if (!(Boolean) v) a.add(o.getValue()); }
                case "layer_overrides" -> ((List<?>) v).forEach(x -> a.addAll(List.of(o.getValue(), x.toString())));
                default -> a.addAll(List.of(o.getValue(), v instanceof Double d && d == Math.rint(d) && !o.getKey()
                        .equals("round_weight") ? Long.toString(d.longValue()) : v.toString()));
            }
        }
        return a;
    }

    static JsonArray array(JsonElement e, String key, SpecErrors err) {
        if (e == null) throw err.at(key, "is missing");
        JsonArray a;
        if (e.isJsonArray()) {
            a = e.getAsJsonArray();
        } else if (e.isJsonPrimitive()) {
            a = new JsonArray();
            a.add(e);
        } else {
            throw err.at(key, "must be a list");
        }
        if (a.isEmpty()) throw err.at(key, "is empty: a sweep axis needs at least one value");
        return a;
    }

    static String string(JsonElement e, String key, SpecErrors err) {
        if (!(e instanceof JsonPrimitive p) || !p.isString() || p.getAsString().isBlank()) {
            throw err.at(key, "must be a non-empty string, got " + e);
        }
        return p.getAsString().trim();
    }
}
