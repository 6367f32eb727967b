package genie.sweep;

import java.util.List;

/**
 * The data axis: where a cell's calibration images come from, as {@code genie run} options. The three Genie-D
 * variants synthesize (and share the synthesis cache); the others load images.
 */
final class DataSources {
    static final List<String> NAMES = List.of("genie-d", "genie-d-no-swing", "generator-only", "pixels", "noise", "real");

    private DataSources() {}

    static String check(String name, String key, SpecErrors err) {
        if (NAMES.contains(name) || name.contains(":")) {
            return name;
        }
        throw err.at(key, "unknown data source '" + name + "': use one of " + NAMES
                + " or a --data spec with a colon, e.g. fashion-mnist:train:512");
    }

    /** Whether the cell synthesizes its images (Genie-D or one of its ablations). */
    static boolean synthesizes(String name) {
        return name.startsWith("genie-d") || name.equals("generator-only") || name.equals("pixels");
    }

    /** The options that make {@code genie run} use this source with {@code samples} images. */
    static List<String> args(String name, int samples) {
        return switch (name) {
            case "genie-d" -> List.of("--source", "genie");
            case "genie-d-no-swing" -> List.of("--source", "genie", "--no-swing");
            case "generator-only", "pixels" -> List.of("--source", name);
            case "noise" -> List.of("--data", "noise:" + samples);
            case "real" -> List.of("--data", "fashion-mnist:train:" + samples);
            default -> List.of("--data", name);
        };
    }
}
