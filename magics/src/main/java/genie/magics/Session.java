package genie.magics;

import java.util.Map;

/**
 * The current session's bound values, for notebook code: the kernel's bindings call {@code Session.get("NAME")}, and
 * the committed notebooks call {@code Session.put} and {@code Session.get}. It holds nothing itself; each call goes to
 * {@link GenieSession#current()}'s {@link Bindings}.
 */
public final class Session {
    private Session() {}

    public static <T> T put(String name, T value) {
        return bindings().put(name, value);
    }

    public static Object get(String name) {
        return bindings().get(name);
    }

    public static <T> T get(String name, Class<T> type) {
        return bindings().get(name, type);
    }

    public static boolean has(String name) {
        return bindings().has(name);
    }

    public static <T> T latest(Class<T> type) {
        return bindings().latest(type);
    }

    public static Map<String, Object> all() {
        return bindings().all();
    }

    private static Bindings bindings() {
        return GenieSession.current().bindings();
    }
}
