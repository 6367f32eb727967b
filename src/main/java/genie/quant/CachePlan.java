package genie.quant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A unit's reconstruction cache before it is built: which tensors it keeps per calibration image, their bytes, and
 * how many images the {@link CacheBudget} lets it hold in memory (the first ones; the rest are spilled to disk).
 *
 * @param unit           the unit's name
 * @param images         calibration images
 * @param tensors        the cached tensors, in order: {@code x} (teacher input, only when the method drops with
 *                       QDrop), {@code x_q} (student input), {@code y} (teacher output)
 * @param rowBytes       bytes of one image of each tensor (float32)
 * @param inMemory       images held in memory; {@code images - inMemory} are spilled
 * @param budget         the budget this plan keeps to
 */
public record CachePlan(String unit, int images, List<String> tensors, long[] rowBytes, int inMemory,
        CacheBudget budget) {

    /** The plan for a unit with these rows per image: as many whole images in memory as the budget holds. */
    static CachePlan of(String unit, int images, List<String> tensors, long[] rowBytes, CacheBudget budget) {
        long perImage = 0;
        for (long b : rowBytes) {
            perImage += b;
        }
        int inMemory = perImage == 0 ? images : (int) Math.min(images, budget.bytes() / perImage);
        return new CachePlan(unit, images, List.copyOf(tensors), rowBytes.clone(), inMemory, budget);
    }

    /** Bytes of one calibration image over all cached tensors. */
    public long bytesPerImage() {
        long s = 0;
        for (long b : rowBytes) {
            s += b;
        }
        return s;
    }

    /** The whole cache, memory and disk. */
    public long totalBytes() {
        return bytesPerImage() * images;
    }

    /** The part in memory: the estimate to hold against the budget. */
    public long memoryBytes() {
        return bytesPerImage() * inMemory;
    }

    public long spilledBytes() {
        return bytesPerImage() * (images - inMemory);
    }

    public boolean spills() {
        return inMemory < images;
    }

    /** For run records and {@code --json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", unit);
        m.put("tensors", tensors);
        m.put("bytes", totalBytes());
        m.put("memory_bytes", memoryBytes());
        m.put("spilled_bytes", spilledBytes());
        m.put("images_in_memory", inMemory);
        return m;
    }

    /**
     * The largest unit's cache against the budget, then a line per unit that spills: what {@code quantize} prints
     * before the first unit is built.
     */
    public static String summary(List<CachePlan> plans) {
        if (plans.isEmpty()) {
            return "reconstruction cache: no units";
        }
        CachePlan largest = plans.get(0);
        for (CachePlan p : plans) {
            largest = p.totalBytes() > largest.totalBytes() ? p : largest;
        }
        List<CachePlan> spilling = plans.stream().filter(CachePlan::spills).toList();
        StringBuilder b = new StringBuilder("reconstruction cache (estimate), largest unit ").append(largest.unit())
                .append(": ").append(largest.images).append(" images x ").append(CacheBudget.format(largest
                        .bytesPerImage())).append(" (").append(String.join(", ", largest.tensors)).append(") = ")
                .append(CacheBudget.format(largest.totalBytes())).append("; --cache-memory ").append(largest.budget)
                .append(spilling.isEmpty() ? ": every unit in memory" : ": " + spilling.size() + " of " + plans.size()
                        + " units spill");
        for (CachePlan p : spilling) {
            b.append(System.lineSeparator()).append("  ").append(p);
        }
        return b.toString();
    }

    /** E.g. "layer1.1: 1024 images x 9.19 MiB (x, x_q, y) = 9.19 GiB; 652 images in memory, 3.34 GiB spilled". */
    @Override
    public String toString() {
        String s = String.format(Locale.ROOT, "%s: %d images x %s (%s) = %s", unit, images,
                CacheBudget.format(bytesPerImage()), String.join(", ", tensors), CacheBudget.format(totalBytes()));
        return spills() ? s + String.format(Locale.ROOT, "; %d images in memory, %s spilled to %s", inMemory,
                CacheBudget.format(spilledBytes()), budget.spillDir()) : s;
    }
}
