package genie.quant;

import genie.nn.UnknownModuleException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-layer bit overrides with torch.ao's {@code QConfigMapping} precedence: an exact layer name beats a pattern,
 * a pattern beats the preset, and among patterns the later one wins. The result therefore depends only on the
 * order the user wrote the overrides in, never on how a map happens to iterate.
 */
final class BitOverrides {
    private static final Pattern SPEC = Pattern.compile("(?:w(\\d+))?(?:a(\\d+|-))?");

    /** Which override set a layer's input bits, so a conflict on a shared quantizer can name it. */
    private final Map<String, String> inputSetBy = new HashMap<>();

    /** Applies {@code overrides} (in the user's order) to {@code bits} ([weight, input] per layer) in place. */
    static BitOverrides apply(Map<String, String> overrides, Map<String, int[]> bits, List<String> names) {
        BitOverrides o = new BitOverrides();
        List<Map.Entry<String, String>> patterns = new ArrayList<>();
        List<Map.Entry<String, String>> exact = new ArrayList<>();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            (isPattern(e.getKey()) ? patterns : exact).add(e);
        }
        patterns.forEach(e -> o.applyOne(e.getKey(), e.getValue(), bits, names));
        exact.forEach(e -> o.applyOne(e.getKey(), e.getValue(), bits, names));
        return o;
    }

    /** The override ({@code "glob=spec"}) that set this layer's input bits, or null when none did. */
    String inputSetBy(String layer) {
        return inputSetBy.get(layer);
    }

    private static boolean isPattern(String key) {
        return key.indexOf('*') >= 0 || key.indexOf('?') >= 0;
    }

    private void applyOne(String key, String value, Map<String, int[]> bits, List<String> names) {
        Pattern p = Pattern.compile(Pattern.quote(key).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"));
        List<String> hit = names.stream().filter(n -> p.matcher(n).matches()).toList();
        if (hit.isEmpty()) {
            throw new UnknownModuleException(key + "' (bit override matched no quantizable layer", names);
        }
        String spec = value.trim().toLowerCase(java.util.Locale.ROOT);
        Matcher m = SPEC.matcher(spec);
        if (spec.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("bit override '" + key + "=" + value
                    + "' must look like w4a4, w2, a8 or a- (float input)");
        }
        if (m.group(1) != null) {
            QuantConfig.checkBits("weight (override " + key + ")", Integer.parseInt(m.group(1)), false);
        }
        if (m.group(2) != null && !m.group(2).equals("-")) {
            QuantConfig.checkBits("activation (override " + key + ")", Integer.parseInt(m.group(2)), true);
        }
        for (String n : hit) {
            int[] b = bits.get(n);
            if (m.group(1) != null && b[0] != 0) { // the residual identity has no weights
                b[0] = Integer.parseInt(m.group(1));
            }
            if (m.group(2) != null) {
                b[1] = m.group(2).equals("-") ? 0 : Integer.parseInt(m.group(2));
                inputSetBy.put(n, key + "=" + value);
            }
        }
    }
}
