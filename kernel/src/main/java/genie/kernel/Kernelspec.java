package genie.kernel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.GsonBuilder;

/**
 * The Jupyter kernelspec of this kernel ({@code kernel.json} + logos) and its installation.
 */
public final class Kernelspec {

    public static final String NAME = "genie-java";
    public static final String DISPLAY_NAME = "Genie (Java)";
    /** Interrupts arrive as interrupt_request messages on the control channel (SIGINT is handled the same way). */
    public static final String INTERRUPT_MODE = "message";

    /** JVM flags of every JVM that may load DJL: never phone home, single-threaded torch, headless AWT. */
    public static final List<String> JVM_FLAGS = List.of(
            "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
            "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
            "-Xss8m", "-Djava.awt.headless=true");

    /**
     * The kernel's environment. MALLOC_ARENA_MAX: each cell runs on a fresh thread (so that an interrupt can stop
     * it), and glibc gives new threads new malloc arenas that keep the native memory PyTorch freed in them; with the
     * default (8 per core) a notebook that loads and evaluates in a loop grew by ~500 MB steps, with 2 it stays flat.
     */
    public static final Map<String, String> ENV = Map.of(
            "DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true", "OMP_WAIT_POLICY", "PASSIVE", "MALLOC_ARENA_MAX", "2");

    private Kernelspec() {
    }

    /** The kernel.json content for a java binary and a class path. */
    public static Map<String, Object> json(String java, String classpath) {
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.addAll(JVM_FLAGS);
        argv.add("-cp");
        argv.add(classpath);
        argv.add(GenieKernel.class.getName());
        argv.add("{connection_file}");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", DISPLAY_NAME);
        spec.put("language", "java");
        spec.put("interrupt_mode", INTERRUPT_MODE);
        spec.put("env", new java.util.TreeMap<>(ENV));
        spec.put("metadata", Map.of("debugger", false));
        return spec;
    }

    public static String toJson(Map<String, Object> spec) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec);
    }

    /** The java binary running this JVM. */
    public static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Where this kernel's classes live: kernel/target/classes (or a jar). */
    public static Path classesLocation() {
        try {
            return Path.of(GenieKernel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The absolute class path for the kernelspec: the kernel classes plus {@code lib/*} next to them
     * (kernel/target/lib, filled by {@code mvn package}); falls back to this JVM's class path.
     */
    public static String kernelClasspath() {
        Path classes = classesLocation().toAbsolutePath();
        Path lib = classes.getParent().resolve("lib");
        if (Files.isDirectory(lib)) {
            return classes + File.pathSeparator + lib + File.separator + "*";
        }
        List<String> abs = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isBlank()) abs.add(Path.of(e).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, abs);
    }

    /** Writes kernel.json and the logos into a directory (the kernelspec directory itself). */
    public static Path writeTo(Path dir, String java, String classpath) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kernel.json"), toJson(json(java, classpath)) + "\n");
        for (String logo : List.of("logo-32x32.png", "logo-64x64.png")) {
            try (InputStream in = Kernelspec.class.getResourceAsStream(logo)) {
                if (in != null) {
                    Files.copy(in, dir.resolve(logo), StandardCopyOption.REPLACE_EXISTING);
                } else {
                    int size = logo.contains("64") ? 64 : 32;
                    Files.write(dir.resolve(logo), Logo.png(size));
                }
            }
        }
        return dir;
    }
}
