package genie.magics;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import genie.nn.Model;

/**
 * The values the magics of one session made, by the names the user gave them ({@code --as NAME}). Putting a value
 * also queues a JShell binding, {@code var NAME = (Type) genie.magics.Session.get("NAME");}, which the Genie kernel
 * evaluates right after the snippet that ran the magic (see {@link #drainBindings()}), so the next statement or cell
 * can use {@code NAME} as a typed Java variable.
 *
 * <p>Rebinding a name to another value closes the old one when it holds native memory ({@link AutoCloseable}: a
 * model, a quantization), so a long notebook that reloads in a loop does not grow; a value that is still bound under
 * another name, or is the teacher of a bound quantization, is closed once nothing bound holds it any more. Keep a
 * value past its rebinding by binding it under a second name (or {@code model.copy()}).
 */
public final class Bindings {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final List<String> pending = new ArrayList<>();
    /** Values replaced while something bound still held them; closed as soon as nothing does. */
    private final List<AutoCloseable> retired = new ArrayList<>();

    /** Stores a value under a Java identifier and queues its binding. */
    public synchronized <T> T put(String name, T value) {
        if (name == null || !IDENT.matcher(name).matches() || javax.lang.model.SourceVersion.isKeyword(name)) {
            throw new IllegalArgumentException("--as needs a Java variable name, got '" + name + "'");
        }
        Object old = values.remove(name); // re-insert: latest last
        values.put(name, value);
        pending.removeIf(s -> s.startsWith("var " + name + " ="));
        pending.add(binding(name, value));
        if (old != value && old instanceof AutoCloseable c && retired.stream().noneMatch(r -> r == c)) {
            retired.add(c);
        }
        closeUnheld();
        return value;
    }

    private void closeUnheld() {
        for (Iterator<AutoCloseable> it = retired.iterator(); it.hasNext(); ) {
            AutoCloseable c = it.next();
            if (held(c)) {
                continue;
            }
            it.remove();
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("genie: closing the replaced " + c.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }

    /** Whether a bound value is {@code v} or holds it (a quantization keeps using its teacher). */
    private boolean held(Object v) {
        for (Object b : values.values()) {
            if (b == v || (b instanceof Quantization q && q.teacher() == v)) {
                return true;
            }
        }
        return false;
    }

    public synchronized Object get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("no Genie value named '" + name + "'; known: " + values.keySet());
        }
        return values.get(name);
    }

    public synchronized boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value named {@code name} as a {@code type}, with a clear message when it is something else. */
    public synchronized <T> T get(String name, Class<T> type) {
        Object v = get(name);
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("'" + name + "' is a " + (v == null ? "null" : v.getClass().getSimpleName())
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(v);
    }

    /** The most recently stored value of a type, or null. */
    public synchronized <T> T latest(Class<T> type) {
        List<Object> vals = new ArrayList<>(values.values());
        for (int i = vals.size() - 1; i >= 0; i--) {
            if (type.isInstance(vals.get(i))) {
                return type.cast(vals.get(i));
            }
        }
        return null;
    }

    public synchronized Map<String, Object> all() {
        return new LinkedHashMap<>(values);
    }

    /** The quantization bound as {@code name}, or (null) the latest bound one. */
    public synchronized Quantization quantization(String name) {
        if (name != null) {
            return get(name, Quantization.class);
        }
        Quantization q = latest(Quantization.class);
        if (q == null) {
            throw new IllegalArgumentException("no quantization yet: run %genie_quantize first");
        }
        return q;
    }

    /** The model bound as {@code name} (a quantization's teacher), or (null) the latest bound one. */
    public synchronized Model model(String name) {
        if (name != null) {
            Object v = get(name);
            if (v instanceof Quantization q) {
                return q.teacher();
            }
            return get(name, Model.class);
        }
        Model t = latest(Model.class);
        if (t == null) {
            throw new IllegalArgumentException("no model yet: run %genie_load first");
        }
        return t;
    }

    /** The name {@code value} is bound to ("data" when it is not). */
    public synchronized String nameOf(Object value) {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getValue() == value) {
                return e.getKey();
            }
        }
        return "data";
    }

    /** JShell snippets that declare the values stored since the last call, oldest first. */
    public synchronized List<String> drainBindings() {
        List<String> out = new ArrayList<>(pending);
        pending.clear();
        return out;
    }

    /** Forgets every value without closing any (the caller may still use them). */
    public synchronized void clear() {
        values.clear();
        pending.clear();
        retired.clear();
    }

    /** {@code var name = (Type) genie.magics.Session.get("name");} with the nearest public type of the value. */
    static String binding(String name, Object value) {
        return "var " + name + " = (" + publicType(value == null ? Object.class : value.getClass())
                + ") genie.magics.Session.get(\"" + name + "\");";
    }

    /** The canonical name of the class or its nearest public, non-anonymous superclass. */
    static String publicType(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (Modifier.isPublic(k.getModifiers()) && k.getCanonicalName() != null
                    && (k.getEnclosingClass() == null || Modifier.isPublic(k.getEnclosingClass().getModifiers()))) {
                return k.getCanonicalName();
            }
        }
        return "Object";
    }
}
