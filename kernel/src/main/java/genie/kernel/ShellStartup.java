package genie.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import genie.magics.Bindings;
import jdk.jshell.JShell;

/**
 * Builds the notebook's JShell: user code runs in this JVM ({@link GenieExecutionControl}), and every notebook starts
 * with JShell's usual imports, the Genie packages present and the helpers.
 */
public final class ShellStartup {
    /** Packages imported on demand at start-up when they have classes on the class path. */
    public static final List<String> GENIE_PACKAGES =
            List.of("genie.nn", "genie.data", "genie.eval", "genie.synth", "genie.quant", "genie.util", "genie.report");
    /** JShell's usual default imports. */
    public static final List<String> DEFAULT_IMPORTS = List.of("java.io", "java.math", "java.net", "java.nio.file",
            "java.util", "java.util.concurrent", "java.util.function", "java.util.regex", "java.util.stream");

    private ShellStartup() {}

    /** A JShell with the start-up imports run and the execution path warmed up, so the first user cell is quick. */
    static CellEvaluator evaluator(Bindings bindings) {
        GenieExecutionControlProvider provider = new GenieExecutionControlProvider(ShellStartup.class.getClassLoader());
        JShell shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .compilerOptions("-Xlint:none")
                .build();
        for (String snippet : snippets()) {
            shell.eval(snippet).forEach(e -> {
                if (!e.status().isDefined()) System.err.println("genie-kernel: start-up import failed: " + snippet);
            });
        }
        shell.eval("0").forEach(e -> {
            if (e.value() != null && provider.control() != null) provider.control().takeResult(e.value());
            shell.drop(e.snippet());
        });
        return new CellEvaluator(shell, provider, bindings);
    }

    /** The start-up import snippets: JShell's usual imports, the Genie packages that exist, and the helpers. */
    public static List<String> snippets() {
        List<String> out = new ArrayList<>();
        for (String p : DEFAULT_IMPORTS) out.add("import " + p + ".*;");
        List<String> genie = existingPackages(GENIE_PACKAGES);
        for (String p : genie) out.add("import " + p + ".*;");
        // Single-type imports win over java.lang's implicit ones: Module and Record would be ambiguous otherwise.
        if (genie.contains("genie.nn")) out.add("import genie.nn.Module;");
        if (genie.contains("genie.report")) out.add("import genie.report.Record;");
        out.add("import static genie.kernel.Notebook.*;");
        return out;
    }
    /** The packages of the list that have at least one class on the class path (jar or directory entries). */
    public static List<String> existingPackages(List<String> packages) {
        Set<String> found = new LinkedHashSet<>();
        String cp = System.getProperty("java.class.path", "");
        for (String entry : cp.split(File.pathSeparator)) {
            if (entry.isBlank() || found.size() == packages.size()) continue;
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                for (String pkg : packages) {
                    try (var s = Files.list(p.resolve(pkg.replace('.', '/')))) {
                        if (s.anyMatch(f -> f.toString().endsWith(".class"))) found.add(pkg);
                    } catch (IOException ignored) {
                        // not in this directory
                    }
                }
            } else if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                try (var jar = new java.util.jar.JarFile(p.toFile())) {
                    jar.stream().forEach(e -> {
                        String n = e.getName();
                        int slash = n.lastIndexOf('/');
                        if (slash > 0 && n.endsWith(".class")) {
                            String pkg = n.substring(0, slash).replace('/', '.');
                            if (packages.contains(pkg)) found.add(pkg);
                        }
                    });
                } catch (IOException ignored) {
                    // unreadable jar
                }
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String pkg : packages) if (found.contains(pkg)) ordered.add(pkg);
        return ordered;
    }
}
