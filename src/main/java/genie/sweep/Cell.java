package genie.sweep;

import com.google.gson.Gson;
import genie.quant.Method;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One cell of a sweep: one {@code genie run}. Its {@link #id()} hashes every effective setting and the teacher's
 * weights, so a cell whose record exists under the same id is never computed again, and changing anything that
 * changes the numbers makes a new cell.
 *
 * @param index    position in the sweep's order
 * @param teacher  the teacher
 * @param data     data source
 * @param method   quantizer
 * @param wbits    weight bits
 * @param abits    activation bits
 * @param seed     seed of every random choice
 * @param variant  the spec's name for the variant's settings ({@code "variants"}), or "" when it has none
 * @param settings budget, method options and overrides, merged
 * @param id       12 hex digits of the SHA-256 of the identity
 */
public record Cell(int index, Teacher teacher, String data, Method method, int wbits, int abits, long seed,
        String variant, Map<String, Object> settings, String id) {
    /** The axes an override's {@code where} may name. */
    static final List<String> AXES = List.of("teacher", "data", "method", "bits", "seed", "variant");
    private static final Gson GSON = new Gson();

    static Cell of(int index, Teacher teacher, String data, Method method, int[] bits, long seed, String variant,
            Map<String, Object> settings, String teacherDigest) {
        Map<String, Object> identity = Settings.withoutOffSwitches(settings);
        identity.remove("cache_memory"); // where the reconstruction cache lives changes no number
        identity.put("teacher", teacher.label());
        identity.put("teacher_sha256", teacherDigest);
        identity.put("teacher_model", Path.of(teacher.model()).getFileName().toString());
        identity.put("data", data);
        identity.put("method", method.toString());
        identity.put("wbits", bits[0]);
        identity.put("abits", bits[1]);
        identity.put("seed", seed);
        // The variant's name is not part of the identity: its settings are.
        return new Cell(index, teacher, data, method, bits[0], bits[1], seed, variant, Map.copyOf(settings),
                sha(GSON.toJson(identity)));
    }

    private static String sha(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String bits() {
        return "w" + wbits + "a" + abits;
    }

    /** The axis values, as an override's {@code where} sees them. */
    Map<String, String> axes() {
        return Map.of("teacher", teacher.label(), "data", data, "method", method.toString(), "bits", bits(),
                "seed", Long.toString(seed), "variant", variant);
    }

    /** The record folder's name: readable, and unique through the id. */
    public String folder() {
        String readable = teacher.label() + "_" + data + "_" + method + "_" + bits() + "_s" + seed
                + (variant.isEmpty() ? "" : "_" + variant);
        return readable.replaceAll("[^A-Za-z0-9._-]+", "-") + "_" + id;
    }

    /** One line for progress and status output. */
    public String label() {
        return String.format(Locale.ROOT, "%s %s %s %s seed %d%s", teacher.label(), data, method,
                bits().toUpperCase(Locale.ROOT), seed, variant.isEmpty() ? "" : " [" + variant + "]");
    }

    /** The {@code genie run} arguments of this cell, writing its record to {@code record}. */
    public List<String> args(Path record, Path synthCache) {
        List<String> a = new ArrayList<>(teacher.args());
        a.addAll(List.of("--seed", Long.toString(seed), "--method", method.toString(), "--wbits", Integer.toString(wbits),
                "--abits", Integer.toString(abits)));
        a.addAll(DataSources.args(data, ((Number) settings.get("samples")).intValue()));
        a.addAll(Settings.args(settings));
        if (synthCache != null && DataSources.synthesizes(data)) {
            a.addAll(List.of("--cache", synthCache.toString()));
        }
        a.addAll(List.of("--record", record.toString(), "--json", "--quiet"));
        return a;
    }

    /** All cells of a spec, ordered so that cells running side by side need different Genie-D sets. */
    public static List<Cell> expand(SweepSpec spec) {
        List<Cell> out = new ArrayList<>();
        for (Teacher t : spec.teachers()) {
            String digest = t.digest();
            List<String> variants = spec.variants().isEmpty() ? List.of("") : List.copyOf(spec.variants().keySet());
            for (Method m : spec.methods()) for (int[] b : spec.bits()) for (String v : variants) for (long seed : spec.seeds())
                    for (String d : spec.data()) {
                Map<String, Object> s = new TreeMap<>(spec.budget());
                s.putAll(spec.methodOptions().getOrDefault(m, Map.of()));
                s.putAll(spec.variants().getOrDefault(v, Map.of()));
                Cell probe = new Cell(out.size(), t, d, m, b[0], b[1], seed, v, Map.of(), "");
                if (spec.skips(probe.axes())) continue;
                for (SweepSpec.Override o : spec.overrides()) {
                    if (o.matches(probe.axes())) s.putAll(o.set());
                }
                out.add(of(out.size(), t, d, m, b, seed, v, s, digest));
            }
        }
        return out;
    }
}
