package genie.quant;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much memory one unit's reconstruction cache may hold: the teacher's input and output at the unit and the
 * student's input, for every calibration image (only one unit's cache exists at a time). The images beyond it go to a
 * spill file and are read back per minibatch, with the same numbers as in memory.
 *
 * @param bytes    the most cache bytes kept in memory ({@link Long#MAX_VALUE}: no limit)
 * @param spillDir where spill files go; they are unlinked as soon as they are opened, so they vanish with the
 *                 process however it ends (Linux; elsewhere when the unit's session closes)
 * @param source   how the budget was given, for messages: "4g", "auto: 1/4 of 23.4 GiB RAM", "unlimited"
 */
public record CacheBudget(long bytes, Path spillDir, String source) {
    /** The default budget's share of physical memory (what the JVM reports: the container's limit inside one). */
    public static final double AUTO_FRACTION = 0.25;

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?");
    private static final String USE = "use a size like 512m, 4g or 1.5g (binary units, 0 spills every image), 'auto' "
            + "(1/4 of physical memory) or 'unlimited'";

    public CacheBudget {
        if (bytes < 0) {
            throw new IllegalArgumentException("cache memory budget must be 0 or more bytes, got " + bytes);
        }
        if (spillDir == null) {
            throw new IllegalArgumentException("cache spill folder must be given");
        }
    }

    /** The default: {@value #AUTO_FRACTION} of physical memory, spilling to {@code java.io.tmpdir}. */
    public static CacheBudget auto() {
        return parse("auto", null);
    }

    /** Everything in memory (the behaviour before budgets existed). */
    public static CacheBudget unlimited() {
        return parse("unlimited", null);
    }

    /** {@code spec}: a size ({@code 512m}, {@code 4g}, {@code 1.5g}, {@code 0}), {@code auto} or {@code unlimited}. */
    public static CacheBudget parse(String spec, Path spillDir) {
        Path dir = spillDir != null ? spillDir : Path.of(System.getProperty("java.io.tmpdir"));
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            long ram = physicalMemory();
            return new CacheBudget((long) (ram * AUTO_FRACTION), dir, "auto: 1/4 of " + format(ram) + " RAM");
        }
        if (s.equals("unlimited")) {
            return new CacheBudget(Long.MAX_VALUE, dir, "unlimited");
        }
        return new CacheBudget(parseBytes(spec), dir, spec.trim());
    }

    /** {@code 512m} (MiB), {@code 4g} (GiB), {@code 1.5g}, {@code 800k}, {@code 1t}, or plain bytes. */
    public static long parseBytes(String spec) {
        Matcher m = SIZE.matcher(spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--cache-memory '" + spec + "': " + USE);
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        double v = Double.parseDouble(m.group(1)) * Math.pow(2, shift);
        if (v >= Long.MAX_VALUE) {
            throw new IllegalArgumentException("--cache-memory '" + spec + "' is too large: " + USE);
        }
        return (long) v;
    }

    public boolean isUnlimited() {
        return bytes == Long.MAX_VALUE;
    }

    /** E.g. "5.86 GiB (auto: 1/4 of 23.4 GiB RAM)", "2.00 GiB", "unlimited". */
    @Override
    public String toString() {
        return isUnlimited() ? "unlimited" : source.startsWith("auto") ? format(bytes) + " (" + source + ")"
                : format(bytes);
    }

    /** Bytes for people: "9.87 GiB", "512.0 MiB", "3.1 KiB". */
    public static String format(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "unlimited";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.2f %s", v, units[u]);
    }

    /** Total physical memory as the JVM sees it (a container's limit inside one). */
    static long physicalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
