package genie.kernel;

import java.util.List;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * The content fields each request of the Jupyter messaging protocol (5.3) must or may carry, checked before jjava binds
 * the content: Gson would otherwise turn a missing field into null or 0 and a wrongly typed one into an exception deep
 * in a handler, so a bad request gets a clear error instead of a wrong answer.
 */
final class RequestFields {

    enum Kind { STRING, INT, BOOL, OBJECT }

    record Field(String name, Kind kind, boolean required) {
    }

    private static Field req(String name, Kind kind) {
        return new Field(name, kind, true);
    }

    private static Field opt(String name, Kind kind) {
        return new Field(name, kind, false);
    }

    /** The request types the kernel handles; any other type has no reply and is only dropped. */
    static final Map<String, List<Field>> FIELDS = Map.of(
            "execute_request", List.of(req("code", Kind.STRING), opt("silent", Kind.BOOL),
                    opt("store_history", Kind.BOOL), opt("user_expressions", Kind.OBJECT),
                    opt("allow_stdin", Kind.BOOL), opt("stop_on_error", Kind.BOOL)),
            "complete_request", List.of(req("code", Kind.STRING), req("cursor_pos", Kind.INT)),
            "inspect_request", List.of(req("code", Kind.STRING), req("cursor_pos", Kind.INT),
                    opt("detail_level", Kind.INT)),
            "is_complete_request", List.of(req("code", Kind.STRING)),
            "history_request", List.of(req("hist_access_type", Kind.STRING), opt("output", Kind.BOOL),
                    opt("raw", Kind.BOOL), opt("session", Kind.INT), opt("start", Kind.INT), opt("stop", Kind.INT),
                    opt("n", Kind.INT), opt("pattern", Kind.STRING), opt("unique", Kind.BOOL)),
            "comm_info_request", List.of(opt("target_name", Kind.STRING)),
            "kernel_info_request", List.of(),
            "shutdown_request", List.of(opt("restart", Kind.BOOL)),
            "interrupt_request", List.of());

    private RequestFields() {
    }

    static boolean isRequest(String msgType) {
        return FIELDS.containsKey(msgType);
    }

    /** What is wrong with the content of a request of this type, or null when it is fine (or the type unknown). */
    static String problem(String msgType, JsonElement content) {
        List<Field> fields = FIELDS.get(msgType);
        if (fields == null) return null;
        if (content == null || !content.isJsonObject()) return "content is not a JSON object";
        JsonObject obj = content.getAsJsonObject();
        for (Field f : fields) {
            JsonElement v = obj.get(f.name());
            if (v == null || v.isJsonNull()) {
                if (f.required()) return "missing field '" + f.name() + "'";
                continue;
            }
            if (!is(f.kind(), v)) {
                return "field '" + f.name() + "' must be " + describe(f.kind()) + ", got " + shorten(v.toString());
            }
        }
        return null;
    }

    private static boolean is(Kind kind, JsonElement v) {
        return switch (kind) {
            case OBJECT -> v.isJsonObject();
            case STRING -> v.isJsonPrimitive() && v.getAsJsonPrimitive().isString();
            case BOOL -> v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean();
            case INT -> v.isJsonPrimitive() && isInt(v.getAsJsonPrimitive());
        };
    }

    private static boolean isInt(JsonPrimitive p) {
        if (!p.isNumber()) return false;
        try {
            p.getAsBigDecimal().intValueExact();
            return true;
        } catch (ArithmeticException | NumberFormatException e) {
            return false;
        }
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case OBJECT -> "an object";
            case STRING -> "a string";
            case BOOL -> "true or false";
            case INT -> "an integer";
        };
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
