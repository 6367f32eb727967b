package genie.sweep;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.nn.ModelSpec;
import genie.quant.Method;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A grid of {@code genie run}s: teachers x data sources x methods x bit widths x seeds at one budget, read from JSON.
 * <pre>
 * {"name": "ablation", "model": "default", "data": ["genie-d", "real"], "method": ["rtn", "genie"],
 *  "bits": ["w2a4", "w4a4"], "seeds": [0, 1, 2],
 *  "budget": {"samples": 512, "synth_batch": 128, "synth_iters": 500, "recon_iters": 2000, "eval_limit": 10000},
 *  "teachers": [{"name": "r20", "model": "fmnist_resnet20"}, {"name": "mine", "model": "m.json", "weights": "w.safetensors"}],
 *  "method_options": {"genie": {"recon_batch": 16}},
 *  "overrides": [{"where": {"method": "genie", "bits": "w2a4"}, "set": {"recon_iters": 5000}}]}
 * </pre>
 * Relative paths are taken from the spec's folder. Every mistake is refused with the key that holds it.
 *
 * @param name          the sweep's name: its records go to RECORDS/NAME
 * @param teachers      the teacher axis ({@code model} alone makes one)
 * @param data          data sources: {@link DataSources#NAMES} or a {@code --data} spec with a colon
 * @param methods       quantizers
 * @param bits          {wbits, abits} pairs
 * @param seeds         seeds; cells that differ only in the seed are one group in {@code genie report}
 * @param budget        settings of every cell
 * @param methodOptions settings by method, over the budget
 * @param overrides     settings for the cells an override's {@code where} matches, over both
 * @param variants      named settings, an axis of its own (e.g. {@code {"paper": {}, "lowpass": {"lowpass": 0.5}}}),
 *                      over the method options; empty for none
 * @param skip          cells left out of the grid: those matching any of these (e.g. {@code {"data": "genie-d",
 *                      "method": "rtn"}}), so a table that is not a full cross product is still one sweep
 */
public record SweepSpec(String name, List<Teacher> teachers, List<String> data, List<Method> methods,
        List<int[]> bits, List<Long> seeds, Map<String, Object> budget, Map<Method, Map<String, Object>> methodOptions,
        List<Override> overrides, Map<String, Map<String, Object>> variants, List<Map<String, String>> skip) {

    static final Set<String> KEYS = Set.of("name", "model", "weights", "teachers", "data", "method", "bits", "seeds",
            "budget", "method_options", "overrides", "variants", "skip");
    private static final Pattern BITS = Pattern.compile("w(\\d+)a(\\d+)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** Settings for the cells whose data/method/bits/seed/teacher match {@code where} (all given keys). */
    public record Override(Map<String, String> where, Map<String, Object> set) {
        boolean matches(Map<String, String> cell) {
            return SweepSpec.matches(where, cell);
        }
    }

    private static boolean matches(Map<String, String> where, Map<String, String> cell) {
        return where.entrySet().stream().allMatch(e -> e.getValue().equalsIgnoreCase(cell.get(e.getKey())));
    }

    /** Whether a cell with these axes is left out by {@link #skip}. */
    boolean skips(Map<String, String> cell) {
        return skip.stream().anyMatch(w -> matches(w, cell));
    }

    public static SweepSpec read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "sweep spec not found");
        }
        return parse(Files.readString(file), file.toAbsolutePath().getParent(), file.toString());
    }

    /** Parses and checks a spec; relative paths are resolved against {@code baseDir}. */
    public static SweepSpec parse(String json, Path baseDir, String source) {
        SpecErrors err = new SpecErrors(source);
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new SweepSpecException("sweep spec " + source + " is not a JSON object: " + e.getMessage());
        }
        for (String k : o.keySet()) {
            if (!KEYS.contains(k)) throw err.at(k, "is not a sweep key; known keys: " + new java.util.TreeSet<>(KEYS));
        }
        String name = Settings.string(o.get("name"), "name", err);
        if (!NAME.matcher(name).matches()) throw err.at("name", "must be letters, digits, '.', '_' or '-' (it names a folder), got '" + name + "'");
        List<Teacher> teachers = teachers(o, baseDir, err);
        List<String> data = new ArrayList<>();
        var d = Settings.array(o.get("data"), "data", err);
        for (int i = 0; i < d.size(); i++) data.add(DataSources.check(Settings.string(d.get(i), "data[" + i + "]", err), "data[" + i + "]", err));
        List<Method> methods = new ArrayList<>();
        var m = Settings.array(o.get("method"), "method", err);
        for (int i = 0; i < m.size(); i++) methods.add(method(Settings.string(m.get(i), "method[" + i + "]", err), "method[" + i + "]", err));
        List<int[]> bits = new ArrayList<>();
        var b = Settings.array(o.get("bits"), "bits", err);
        for (int i = 0; i < b.size(); i++) bits.add(bits(Settings.string(b.get(i), "bits[" + i + "]", err), "bits[" + i + "]", err));
        List<Long> seeds = new ArrayList<>();
        var s = Settings.array(o.get("seeds"), "seeds", err);
        for (int i = 0; i < s.size(); i++) seeds.add(Settings.integer(s.get(i), "seeds[" + i + "]", err, 0));
        for (var axis : List.of(List.of("data", data), List.of("method", methods), List.of("seeds", seeds))) {
            List<?> values = (List<?>) axis.get(1);
            if (new java.util.HashSet<>(values).size() != values.size()) throw err.at((String) axis.get(0), "lists a value twice: " + values);
        }
        Map<String, Object> budget = Settings.budget(o.get("budget"), err);
        Map<Method, Map<String, Object>> methodOptions = new TreeMap<>();
        if (o.has("method_options")) {
            if (!o.get("method_options").isJsonObject()) throw err.at("method_options", "must be an object like {\"genie\": {\"recon_batch\": 16}}");
            for (var e : o.getAsJsonObject("method_options").entrySet()) {
                String key = "method_options." + e.getKey();
                if (!e.getValue().isJsonObject()) throw err.at(key, "must be an object of settings");
                methodOptions.put(method(e.getKey(), key, err), Settings.values(e.getValue().getAsJsonObject(), key, err));
            }
        }
        Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
        if (o.has("variants")) {
            if (!o.get("variants").isJsonObject() || o.getAsJsonObject("variants").isEmpty()) {
                throw err.at("variants", "must be an object of named settings like {\"paper\": {}, \"lowpass\": {\"lowpass\": 0.5}}");
            }
            for (var e : o.getAsJsonObject("variants").entrySet()) {
                String key = "variants." + e.getKey();
                if (!NAME.matcher(e.getKey()).matches()) throw err.at(key, "a variant's name must be letters, digits, '.', '_' or '-' (it names folders)");
                if (!e.getValue().isJsonObject()) throw err.at(key, "must be an object of settings, e.g. {\"lowpass\": 0.5}");
                variants.put(e.getKey(), Settings.values(e.getValue().getAsJsonObject(), key, err));
            }
        }
        List<Map<String, String>> skip = new ArrayList<>();
        if (o.has("skip")) {
            if (!o.get("skip").isJsonArray()) throw err.at("skip", "must be a list of axis matches like {\"data\": \"genie-d\", \"method\": \"rtn\"}");
            var k = o.getAsJsonArray("skip");
            for (int i = 0; i < k.size(); i++) {
                if (!k.get(i).isJsonObject()) throw err.at("skip[" + i + "]", "must be an object like {\"data\": \"genie-d\", \"method\": \"rtn\"}");
                skip.add(where(k.get(i).getAsJsonObject(), "skip[" + i + "]", err));
            }
        }
        return new SweepSpec(name, teachers, data, methods, bits, seeds, budget, methodOptions, overrides(o, err), variants, skip);
    }

    private static List<Teacher> teachers(JsonObject o, Path baseDir, SpecErrors err) {
        if (o.has("teachers") && (o.has("model") || o.has("weights"))) {
            throw err.at("teachers", "and \"model\" both given: list every teacher under \"teachers\"");
        }
        List<Teacher> out = new ArrayList<>();
        if (!o.has("teachers")) {
            JsonObject one = new JsonObject();
            one.add("model", o.has("model") ? o.get("model") : new com.google.gson.JsonPrimitive("default"));
            if (o.has("weights")) one.add("weights", o.get("weights"));
            out.add(teacher(one, baseDir, "model", err));
            return out;
        }
        var a = Settings.array(o.get("teachers"), "teachers", err);
        for (int i = 0; i < a.size(); i++) {
            JsonElement t = a.get(i);
            JsonObject obj = t.isJsonObject() ? t.getAsJsonObject() : new JsonObject();
            if (!t.isJsonObject()) obj.add("model", t);
            out.add(teacher(obj, baseDir, "teachers[" + i + "]", err));
        }
        if (out.stream().map(Teacher::label).distinct().count() != out.size()) {
            throw err.at("teachers", "has two teachers with one name: give each a distinct \"name\"");
        }
        return out;
    }

    private static Teacher teacher(JsonObject t, Path baseDir, String key, SpecErrors err) {
        for (String k : t.keySet()) {
            if (!Set.of("name", "model", "weights").contains(k)) throw err.at(key + "." + k, "is not a teacher key (name, model, weights)");
        }
        String model = Settings.string(t.get("model"), key + (key.equals("model") ? "" : ".model"), err);
        String modelRef;
        if (ModelSpec.BUILTIN.contains(model)) {
            modelRef = model;
        } else if (model.endsWith(".json")) {
            modelRef = baseDir.resolve(model).toAbsolutePath().normalize().toString();
        } else {
            throw err.at(key, "unknown model '" + model + "': use one of " + ModelSpec.BUILTIN + " or a model spec .json file");
        }
        Path weights = t.has("weights") ? baseDir.resolve(Settings.string(t.get("weights"), key + ".weights", err))
                .toAbsolutePath().normalize() : null;
        String label = t.has("name") ? Settings.string(t.get("name"), key + ".name", err)
                : Path.of(model).getFileName().toString().replaceFirst("\\.json$", "");
        if (!NAME.matcher(label).matches()) throw err.at(key + ".name", "must be letters, digits, '.', '_' or '-', got '" + label + "'");
        return new Teacher(label, modelRef, weights);
    }

    private static List<Override> overrides(JsonObject o, SpecErrors err) {
        List<Override> out = new ArrayList<>();
        if (!o.has("overrides")) return out;
        if (!o.get("overrides").isJsonArray()) throw err.at("overrides", "must be a list of {\"where\": {...}, \"set\": {...}}");
        var a = o.getAsJsonArray("overrides");
        for (int i = 0; i < a.size(); i++) {
            String key = "overrides[" + i + "]";
            if (!a.get(i).isJsonObject() || !a.get(i).getAsJsonObject().has("where") || !a.get(i).getAsJsonObject().has("set")
                    || !a.get(i).getAsJsonObject().get("where").isJsonObject() || !a.get(i).getAsJsonObject().get("set").isJsonObject()) {
                throw err.at(key, "must look like {\"where\": {\"method\": \"genie\", \"bits\": \"w2a4\"}, \"set\": {\"recon_iters\": 5000}}");
            }
            Map<String, String> where = where(a.get(i).getAsJsonObject().getAsJsonObject("where"), key + ".where", err);
            out.add(new Override(where, Settings.values(a.get(i).getAsJsonObject().getAsJsonObject("set"), key + ".set", err)));
        }
        return out;
    }

    private static Map<String, String> where(JsonObject o, String key, SpecErrors err) {
        Map<String, String> where = new LinkedHashMap<>();
        for (var e : o.entrySet()) {
            if (!Cell.AXES.contains(e.getKey())) throw err.at(key + "." + e.getKey(), "is not an axis; use " + Cell.AXES);
            if (!e.getValue().isJsonPrimitive()) throw err.at(key + "." + e.getKey(), "must be one value, got " + e.getValue());
            where.put(e.getKey(), e.getValue().getAsString());
        }
        return where;
    }

    private static Method method(String s, String key, SpecErrors err) {
        try {
            return Method.parse(s);
        } catch (IllegalArgumentException e) {
            throw err.at(key, e.getMessage());
        }
    }

    private static int[] bits(String s, String key, SpecErrors err) {
        Matcher m = BITS.matcher(s.toLowerCase(Locale.ROOT));
        if (!m.matches()) throw err.at(key, "must look like \"w4a4\" (weight and activation bits), got '" + s + "'");
        int w = Integer.parseInt(m.group(1));
        int a = Integer.parseInt(m.group(2));
        if (w < 2 || w > 8) throw err.at(key, "weight bits " + w + " out of range: use 2..8");
        if ((a < 2 || a > 8) && a != 16) throw err.at(key, "activation bits " + a + " out of range: use 2..8 or 16");
        return new int[] {w, a};
    }

    /** The number of cells (the grid less the skipped ones). */
    public int size() {
        return Cell.expand(this).size();
    }
}
