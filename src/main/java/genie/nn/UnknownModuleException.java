package genie.nn;

import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Collectors;

/** A dotted module name that the model does not have; the message lists the closest names. */
public final class UnknownModuleException extends IllegalArgumentException {
    public UnknownModuleException(String name, Collection<String> known) {
        super("unknown layer name '" + name + "'; closest names in this model: "
                + known.stream().filter(k -> !k.isEmpty())
                        .sorted(Comparator.comparingInt(k -> distance(k, name))).limit(5)
                        .collect(Collectors.joining(", ")));
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
