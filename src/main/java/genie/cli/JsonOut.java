package genie.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.io.PrintStream;
import java.util.Map;

/** Every command with {@code --json} ends its stdout with exactly one line holding one JSON object. */
public final class JsonOut {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

    private JsonOut() {}

    public static void print(PrintStream out, Map<String, ?> fields) {
        out.println(GSON.toJson(fields));
        out.flush();
    }

    public static String toJson(Object o) {
        return GSON.toJson(o);
    }
}
