package genie.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import genie.quant.ReconSchedule;
import genie.report.Budget;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        OPTIONS.put("softbit_lr", "--softbit-lr");
        OPTIONS.put("weight_step_lr", "--weight-step-lr");
        OPTIONS.put("act_step_lr", "--act-step-lr");
        OPTIONS.put("round_warmup", "--round-warmup");
        OPTIONS.put("drop_prob", "--drop-prob");
        OPTIONS.put("eval_limit", "--eval-limit");
        OPTIONS.put("eval_data", "--eval-data");
        OPTIONS.put("device", "--device");
        OPTIONS.put("cache_memory", "--cache-memory");
        OPTIONS.put("swing", "--no-swing");
        OPTIONS.put("layer_overrides", "--override");
        OPTIONS.put("lowpass", "--lowpass");
        OPTIONS.put("synth_augment", "--synth-augment");
        OPTIONS.put("bn_global", "--bn-global");
        OPTIONS.put("label_ce", "--label-ce");
        OPTIONS.put("recon_schedule", "--recon-schedule");
    }

    /** Settings that take a decimal number (the rest of the plain ones are whole numbers). */
    static final Set<String> DECIMALS = Set.of("round_weight", "softbit_lr", "weight_step_lr", "act_step_lr", "round_warmup",
            "drop_prob", "lowpass", "label_ce");

    /**
     * The switches beyond Genie with the value that means off: a cell that sets one to it is the cell without it
     * (same identity, same record), so records made before the switches existed stay valid.
     */
    static final Map<String, Object> OFF = Map.of("lowpass", 0.0, "synth_augment", false, "bn_global", false,
            "label_ce", 0.0, "recon_schedule", "paper");

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
                case "swing", "synth_augment", "bn_global" -> {
                    if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isBoolean()) throw err.at(key, "must be true or false");
                    out.put(k, v.getAsBoolean());
                }
                case "recon_schedule" -> {
                    if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) throw err.at(key, "must be a string");
                    try {
                        out.put(k, ReconSchedule.parse(v.getAsString()).cliName());
                    } catch (IllegalArgumentException ex) {
                        throw err.at(key, ex.getMessage());
                    }
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
                default -> out.put(k, DECIMALS.contains(k) ? (Object) number(v, key, err, 0)
                        : (Object) (int) integer(v, key, err, k.equals("eval_limit") || k.equals("recon_iters") ? 0 : 1));
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
                case "synth_augment", "bn_global" -> { if ((Boolean) v) a.add(o.getValue()); }
                case "lowpass", "label_ce", "recon_schedule" -> {
                    if (!isOff(o.getKey(), v)) a.addAll(List.of(o.getValue(), v.toString()));
                }
                case "layer_overrides" -> ((List<?>) v).forEach(x -> a.addAll(List.of(o.getValue(), x.toString())));
                default -> a.addAll(List.of(o.getValue(), v instanceof Double d && d == Math.rint(d) && !DECIMALS
                        .contains(o.getKey()) ? Long.toString(d.longValue()) : v.toString()));
            }
        }
        return a;
    }

    /** {@code settings} without the switches beyond Genie that are off: what a cell's identity hashes. */
    static Map<String, Object> withoutOffSwitches(Map<String, Object> settings) {
        Map<String, Object> out = new TreeMap<>(settings);
        out.entrySet().removeIf(e -> isOff(e.getKey(), e.getValue()));
        return out;
    }

    private static boolean isOff(String key, Object value) {
        Object off = OFF.get(key);
        if (off instanceof Double d) {
            return value instanceof Number n && n.doubleValue() == d;
        }
        return off != null && off.equals(value);
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
