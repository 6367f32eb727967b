package genie.kernel;

import java.util.Map;
import java.util.Properties;

/**
 * Keeps library chatter out of notebook outputs. slf4j-simple writes to whatever {@code System.err} is at the time,
 * and during a cell that is the cell's stderr stream, so DJL's start-up lines (CUDA detection on a CPU machine,
 * native jar paths, thread counts) and jjava's loop messages would open every notebook as a pink block. Libraries
 * log at WARN and up, DJL only at ERROR (its warnings are about the machine, not the user's code, and its real
 * failures surface as exceptions in the cell); Genie's own messages go to System.out/err directly and are unaffected.
 */
final class KernelLogging {

    static final String PREFIX = "org.slf4j.simpleLogger.";

    /** The levels set unless the JVM was started with that property (e.g. {@code -Dorg.slf4j.simpleLogger.log.ai.djl=info}). */
    static final Map<String, String> DEFAULTS = Map.of(
            PREFIX + "defaultLogLevel", "warn",
            PREFIX + "log.ai.djl", "error");

    private KernelLogging() {
    }

    /** Sets the defaults that are not set yet; must run before the first slf4j logger is made. */
    static void quiet(Properties system) {
        DEFAULTS.forEach(system::putIfAbsent);
    }
}
