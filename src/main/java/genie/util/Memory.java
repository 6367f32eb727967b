package genie.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process (native tensors included), for memory-flatness benchmarks. */
public final class Memory {
    private Memory() {}

    /** VmRSS in kB from /proc/self/status, or -1 where that file does not exist. */
    public static long rssKb() {
        return status("VmRSS:");
    }

    /** VmHWM, the peak resident memory of the process so far, in kB (what {@code time -v} reports), or -1. */
    public static long peakRssKb() {
        return status("VmHWM:");
    }

    private static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
