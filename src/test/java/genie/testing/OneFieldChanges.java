package genie.testing;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The check every configuration builder shares: changing one field through it leaves every other at its default. */
public final class OneFieldChanges {
    private OneFieldChanges() {}

    /**
     * @param defaults the defaults' {@code toMap()}
     * @param changes  one builder call per {@code toMap()} key, each to a value other than the default
     * @param fresh    a builder at the defaults
     * @param built    a builder's configuration as its {@code toMap()}
     */
    public static <B> void leaveEveryOtherFieldAtItsDefault(Map<String, Object> defaults,
            Map<String, UnaryOperator<B>> changes, Supplier<B> fresh, Function<B, Map<String, Object>> built) {
        assertEquals(defaults.keySet(), changes.keySet(), "every field has a builder method and a toMap entry");
        changes.forEach((field, change) -> {
            Map<String, Object> changed = built.apply(change.apply(fresh.get()));
            for (String k : defaults.keySet()) {
                if (k.equals(field)) {
                    assertNotEquals(defaults.get(k), changed.get(k), field);
                } else {
                    assertEquals(defaults.get(k), changed.get(k), k + " after changing " + field);
                }
            }
        });
    }
}
