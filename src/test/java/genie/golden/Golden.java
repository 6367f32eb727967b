package genie.golden;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.data.Normalization;
import genie.nn.Model;
import genie.nn.ModelSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fixtures written by {@code tools/golden_official.py} from the official Genie code, and the comparison they are
 * held to: every value within {@link #REL} relative of the official one. Elements of a tensor that pass through
 * zero (softbit logits, latents, weights, normalised images) have no meaningful relative error near it, so each
 * tensor's floor is its own root-mean-square: element i passes when
 * {@code |ours - theirs| <= REL * max(|theirs_i|, rms(theirs))}, i.e. elements above the tensor's typical magnitude
 * are held to 1e-5 relative, smaller ones to 1e-5 of that magnitude. A scalar (a loss) is held to pure relative.
 */
final class Golden {
    static final double REL = 1e-5;

    private Golden() {}

    static JsonObject load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("fixture /golden/" + name + " is missing: regenerate it with "
                        + "tools/golden_official.py");
            }
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(JsonElement e) {
        JsonArray a = e.isJsonObject() ? e.getAsJsonObject().getAsJsonArray("values") : e.getAsJsonArray();
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    static int[] ints(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    static long[] shape(JsonElement e) {
        JsonArray a = e.getAsJsonObject().getAsJsonArray("shape");
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }

    /** QDrop coins as the script packs them: row-major, most significant bit of each byte first. */
    static boolean[] bits(String hex, int n) {
        if (hex.length() != 2 * ((n + 7) / 8)) {
            throw new IllegalStateException(hex.length() / 2 + " bytes of coins for " + n + " elements");
        }
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            int b = Integer.parseInt(hex.substring(2 * (i / 8), 2 * (i / 8) + 2), 16);
            out[i] = ((b >> (7 - i % 8)) & 1) == 1;
        }
        return out;
    }

    /** The fixture's teacher: our module tree for its arch spec, with its recorded weights and statistics. */
    static Model teacher(JsonObject t) {
        int[] chw = ints(t.get("input_shape"));
        float[] zeros = new float[chw[0]];
        float[] ones = new float[chw[0]];
        java.util.Arrays.fill(ones, 1f);
        ModelSpec spec = new ModelSpec("golden-teacher", t.getAsJsonObject("arch"), chw,
                new Normalization(1f, zeros, ones), null, Double.NaN, null, "golden fixture");
        Model m = Model.create(spec, Device.cpu());
        Map<String, NDArray> ours = m.net().stateDict();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, JsonElement> e : t.getAsJsonObject("state_dict").entrySet()) {
            NDArray p = ours.get(e.getKey());
            if (p == null) {
                m.close();
                fail("the fixture's teacher has " + e.getKey() + ", ours has no such tensor: " + ours.keySet());
            }
            load(p, e.getValue());
            seen.add(e.getKey());
        }
        Set<String> expected = new HashSet<>(ours.keySet());
        expected.removeIf(k -> k.endsWith("num_batches_tracked")); // a counter, unused in inference mode
        assertEquals(expected, seen, "every tensor of our teacher comes from the fixture");
        return m;
    }

    /** Writes recorded values into a tensor in place (shape checked). */
    static void load(NDArray p, JsonElement values) {
        assertEquals(new ai.djl.ndarray.types.Shape(shape(values)), p.getShape(), "shape of a recorded tensor");
        p.set(floats(values)); // in place (stopGradient().set would write into a detached copy)
    }

    /** Collects mismatches so a test reports every compared quantity that drifted, worst first. */
    static final class Report {
        private final List<String> failures = new ArrayList<>();
        private int compared;
        private double worstUse; // largest |difference| / tolerance seen, failures included
        private String worstWhat = "nothing";

        /** A scalar (a loss): purely relative. */
        void scalar(String what, double official, double ours) {
            compare(what, new double[] {official}, new double[] {ours}, false);
        }

        /** A tensor: relative, with its root-mean-square as the floor. */
        void array(String what, float[] official, float[] ours) {
            double[] o = new double[official.length];
            double[] u = new double[ours.length];
            for (int i = 0; i < o.length; i++) {
                o[i] = official[i];
            }
            for (int i = 0; i < u.length; i++) {
                u[i] = ours[i];
            }
            compare(what, o, u, true);
        }

        private void compare(String what, double[] official, double[] ours, boolean floor) {
            if (official.length != ours.length) {
                failures.add(what + ": official has " + official.length + " values, ours " + ours.length);
                return;
            }
            double sumSq = 0;
            for (double v : official) {
                sumSq += v * v;
            }
            double rms = official.length == 0 ? 0 : Math.sqrt(sumSq / official.length);
            int bad = 0;
            int worst = -1;
            double worstRatio = 0;
            for (int i = 0; i < official.length; i++) {
                double tol = REL * Math.max(Math.abs(official[i]), floor ? rms : 0);
                double diff = Math.abs(ours[i] - official[i]);
                double ratio = diff == 0 ? 0 : tol == 0 ? Double.POSITIVE_INFINITY : diff / tol;
                if (!(ratio <= worstUse)) {
                    worstUse = ratio;
                    worstWhat = what + (official.length == 1 ? "" : "[" + i + "]");
                }
                if (!(ratio <= 1)) { // NaN fails too
                    bad++;
                    if (worst < 0 || !(ratio <= worstRatio)) {
                        worstRatio = ratio;
                        worst = i;
                    }
                }
            }
            compared += official.length;
            if (bad > 0) {
                double e = official[worst];
                double a = ours[worst];
                failures.add(String.format("%s%s: official %.9g, ours %.9g (relative error %.3g)%s", what,
                        official.length == 1 ? "" : "[" + worst + "]", e, a, Math.abs(a - e) / Math.abs(e),
                        official.length == 1 ? "" : ", " + bad + " of " + official.length + " values outside"));
            }
        }

        int compared() {
            return compared;
        }

        /** How much of the tolerance the closest call used, and where (printed by the tests as their margin). */
        String margin() {
            return String.format("%d values compared; the largest difference used %.2f of the tolerance (%s)", compared,
                    worstUse, worstWhat);
        }

        /** Fails with the first mismatches in the order they were compared (the earliest is usually the cause). */
        void check(String fixture) {
            System.out.println(fixture + ": " + margin());
            if (!failures.isEmpty()) {
                fail(failures.size() + " quantities of " + fixture + " differ from the official code by more than "
                        + REL + " relative; first: " + String.join("\n  ", failures.subList(0,
                        Math.min(8, failures.size()))));
            }
        }
    }
}
