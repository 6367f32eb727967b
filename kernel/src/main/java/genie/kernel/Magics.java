package genie.kernel;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.PathsHandler;

/**
 * The kernel's class path magics:
 * <ul>
 *   <li>{@code %maven group:artifact:version ...} resolves from Maven Central (with transitive dependencies) and adds
 *   the jars</li>
 *   <li>{@code %jars glob ...} adds jars matching globs (e.g. {@code lib/*.jar})</li>
 *   <li>{@code %classpath} prints the class path; {@code %classpath path ...} adds entries</li>
 *   <li>{@code %load file.jsh} runs a JShell script in this notebook</li>
 * </ul>
 */
public final class Magics {

    private Magics() {
    }

    public static void registerAll(MagicsRegistry registry) {
        registry.registerLineMagic("maven", (GenieKernel k, List<String> args) -> {
            maven(k, args);
            return null;
        });
        registry.registerLineMagic("jars", (GenieKernel k, List<String> args) -> {
            jars(k, args);
            return null;
        });
        registry.registerLineMagic("classpath", (GenieKernel k, List<String> args) -> {
            classpath(k, args);
            return null;
        });
        registry.registerLineMagic("load", (GenieKernel k, List<String> args) -> load(k, args));
    }

    static void maven(GenieKernel kernel, List<String> args) throws Exception {
        if (args.isEmpty()) throw new IllegalArgumentException("usage: %maven group:artifact:version ...");
        List<MavenResolver.Coordinate> coords = args.stream().map(MavenResolver.Coordinate::parse).toList();
        List<Path> jars = MavenResolver.resolve(coords, System.out);
        kernel.addToClasspath(jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        System.out.println("Added " + jars.size() + " jar(s) to the class path: "
                + jars.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
    }

    static void jars(GenieKernel kernel, List<String> args) {
        if (args.isEmpty()) throw new IllegalArgumentException("usage: %jars glob ...");
        List<Path> found = new ArrayList<>();
        for (String a : args) {
            List<Path> matched = PathsHandler.splitAndResolveGlobs(a);
            if (matched.isEmpty()) throw new IllegalArgumentException("No file matches " + a);
            found.addAll(matched);
        }
        kernel.addToClasspath(found.stream().map(p -> p.toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator)));
        System.out.println("Added " + found.size() + " jar(s) to the class path.");
    }

    static void classpath(GenieKernel kernel, List<String> args) {
        if (args.isEmpty()) {
            kernel.classpath().forEach(System.out::println);
            return;
        }
        kernel.addToClasspath(String.join(File.pathSeparator, args));
        System.out.println("Added to the class path: " + String.join(File.pathSeparator, args));
    }

    static Object load(GenieKernel kernel, List<String> args) throws Exception {
        if (args.size() != 1) throw new IllegalArgumentException("usage: %load file.jsh");
        Path file = Path.of(args.get(0));
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("No such file: " + file.toAbsolutePath());
        return kernel.evalRaw(Files.readString(file));
    }
}
