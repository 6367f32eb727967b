package genie.synth;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import ai.djl.ndarray.NDArray;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import genie.data.ImageSetFile;
import genie.nn.Model;

/**
 * Genie-D results kept on disk, so re-running a notebook or a script at the full budget does not redo a half-hour
 * synthesis. An entry is found only for the same teacher (its module tree and the values of every parameter and
 * buffer, whatever the model is called) and the same settings ({@link SynthConfig} except {@code logEvery}, which
 * changes only what is printed; {@link #settingsKey}): the same seed gives the same images, so reusing them changes no number. The
 * report (losses, curves, timing of the run that made them) is stored with the images, so plots of a reused run show
 * the original run.
 *
 * <p>A cancelled run is never stored. Files are written to a temporary name and moved into place, so a process that
 * is killed while writing leaves no half entry, and two processes sharing a folder at worst both compute an entry.
 */
public final class SynthCache {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();
    /** Environment variable naming the default cache folder of the command line, the magics and the notebooks. */
    public static final String ENV = "GENIE_SYNTH_CACHE";
    private final Path dir;

    public SynthCache(Path dir) {
        this.dir = dir;
    }

    /**
     * The entry's file: readable part (source, samples, iterations, seed, the beyond-Genie switches that are on) plus a
     * digest of everything.
     */
    public Path file(Model teacher, SynthConfig config) {
        SynthConfig c = config.toBuilder().logEvery(0).build();
        String name = String.format(Locale.ROOT, "%s%s-n%d-it%d-s%d%s-%s.safetensors", c.source().cliName(),
                c.swing() ? "" : "-noswing", c.samples(), c.iterations(), c.seed(), switches(c),
                digest(teacher, c).substring(0, 16));
        return dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /** The stored result for this teacher and configuration, if any. */
    public Optional<SynthResult> load(Model teacher, SynthConfig config) {
        return load(file(teacher, config));
    }

    private static Optional<SynthResult> load(Path f) {
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        ImageSetFile.Loaded l = ImageSetFile.load(f);
        if (!l.metadata().has("report")) {
            throw new IllegalStateException("the synthesis cache entry " + f + " holds no report (not written by "
                    + "SynthCache); delete it, or point the cache at another folder");
        }
        SynthReport report = GSON.fromJson(l.metadata().get("report").getAsString(), SynthReport.class);
        return Optional.of(new SynthResult(l.images(), report));
    }

    /** A cache in {@code dir}, or null (no caching) for a null or blank path. */
    public static SynthCache at(Path dir) {
        return dir == null || dir.toString().isBlank() ? null : new SynthCache(dir);
    }

    /** The folder named by the environment variable {@value #ENV}, or null when it is unset or empty. */
    public static SynthCache fromEnv() {
        String d = System.getenv(ENV);
        return d == null ? null : at(Path.of(d.trim()));
    }

    /**
     * Runs {@code synthesizer} on {@code teacher}, or returns the stored result of an identical earlier run (saying so
     * on {@code log}); a finished new run is stored. With a null cache it simply runs.
     */
    public static SynthResult run(SynthCache cache, Model teacher, Synthesizer synthesizer, java.io.PrintStream log) {
        if (cache == null) {
            return synthesizer.run(teacher);
        }
        // The key hashes every teacher weight: compute it once for the lookup, the message and the store.
        Path f = cache.file(teacher, synthesizer.config());
        Optional<SynthResult> hit = load(f);
        if (hit.isPresent()) {
            log.printf(Locale.ROOT, "Genie-D: reused %s (same teacher weights, settings and seed; that run took "
                    + "%.0f s)%n", genie.util.DisplayPath.of(f), hit.get().report().seconds());
            return hit.get();
        }
        SynthResult r = synthesizer.run(teacher);
        if (!r.report().cancelled()) {
            cache.store(f, r);
        }
        return r;
    }

    /** Stores a finished run under {@code f} (a cancelled one is refused: its images are incomplete). */
    private void store(Path f, SynthResult r) {
        if (r.report().cancelled()) {
            throw new IllegalArgumentException("a cancelled synthesis is not cached");
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".partial-", ".safetensors");
            JsonObject meta = new JsonObject();
            meta.addProperty("kind", "genie-d-cache");
            meta.addProperty("report", GSON.toJson(r.report()));
            ImageSetFile.save(tmp, r.images(), meta);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the synthesis cache entry " + f + ": " + e.getMessage()
                    + " (check that the cache folder is writable, or run without a cache)", e);
        }
    }

    /** E.g. {@code -lp0.5-aug-bng-ce0.1} for the switches beyond Genie that are on; empty when all are off. */
    private static String switches(SynthConfig c) {
        return (c.lowpass() > 0 ? "-lp" + c.lowpass() : "") + (c.augment() ? "-aug" : "") + (c.bnGlobal() ? "-bng" : "")
                + (c.labelCe() > 0 ? "-ce" + c.labelCe() : "");
    }

    /**
     * The settings as the digest reads them: the text the record's {@code toString()} gave before the switches beyond
     * Genie existed, then only those switches that are on. With them all off it is that text exactly, so every entry
     * stored before keeps its key.
     */
    static String settingsKey(SynthConfig c) {
        StringBuilder s = new StringBuilder("SynthConfig[samples=").append(c.samples()).append(", batch=")
                .append(c.batch()).append(", iterations=").append(c.iterations()).append(", latent=").append(c.latent())
                .append(", lrZ=").append(c.lrZ()).append(", lrG=").append(c.lrG()).append(", gDecay=")
                .append(c.gDecay()).append(", gDecayEvery=").append(c.gDecayEvery()).append(", plateauPatience=")
                .append(c.plateauPatience()).append(", minLrZ=").append(c.minLrZ()).append(", swing=")
                .append(c.swing()).append(", seed=").append(c.seed()).append(", source=").append(c.source())
                .append(", logEvery=").append(c.logEvery());
        if (c.lowpass() > 0) {
            s.append(", lowpass=").append(c.lowpass());
        }
        if (c.augment()) {
            s.append(", augment=true");
        }
        if (c.bnGlobal()) {
            s.append(", bnGlobal=true");
        }
        if (c.labelCe() > 0) {
            s.append(", labelCe=").append(c.labelCe());
        }
        return s.append(']').toString();
    }

    /** SHA-256 of the configuration, the architecture and every parameter and buffer value, in name order. */
    static String digest(Model teacher, SynthConfig config) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(settingsKey(config).getBytes(StandardCharsets.UTF_8));
            // The module tree (layer types, strides, ...) rather than the spec: the same network under another name
            // or with its JSON keys in another order is the same teacher.
            md.update((teacher.net().describe() + java.util.Arrays.toString(teacher.inputShape()))
                    .getBytes(StandardCharsets.UTF_8));
            Map<String, NDArray> state = new TreeMap<>(teacher.net().stateDict());
            for (Map.Entry<String, NDArray> e : state.entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update(e.getValue().getShape().toString().getBytes(StandardCharsets.UTF_8));
                ByteBuffer b = e.getValue().toByteBuffer().order(ByteOrder.nativeOrder());
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
