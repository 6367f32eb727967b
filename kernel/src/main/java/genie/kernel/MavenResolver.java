package genie.kernel;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Resolves Maven coordinates with their transitive dependencies from Maven Central by running the Maven command
 * line on a throw-away pom ({@code dependency:build-classpath}); the jars land in the local repository.
 */
public final class MavenResolver {

    /** groupId:artifactId[:extension[:classifier]]:version */
    public record Coordinate(String groupId, String artifactId, String extension, String classifier, String version) {

        public static Coordinate parse(String text) {
            String[] p = text.trim().split(":");
            for (String part : p) {
                if (part.isBlank()) throw new IllegalArgumentException("Bad Maven coordinate: '" + text + "'");
            }
            return switch (p.length) {
                case 3 -> new Coordinate(p[0], p[1], "jar", null, p[2]);
                case 4 -> new Coordinate(p[0], p[1], p[2], null, p[3]);
                case 5 -> new Coordinate(p[0], p[1], p[2], p[3], p[4]);
                default -> throw new IllegalArgumentException(
                        "Bad Maven coordinate: '" + text + "' (expected group:artifact[:type[:classifier]]:version)");
            };
        }

        String toXml() {
            return "    <dependency><groupId>" + groupId + "</groupId><artifactId>" + artifactId
                    + "</artifactId><version>" + version + "</version>"
                    + ("jar".equals(extension) ? "" : "<type>" + extension + "</type>")
                    + (classifier == null ? "" : "<classifier>" + classifier + "</classifier>")
                    + "</dependency>\n";
        }
    }

    private MavenResolver() {
    }

    /** The throw-away pom that depends on the given artifacts. */
    public static String pom(List<Coordinate> coordinates) {
        StringBuilder deps = new StringBuilder();
        coordinates.forEach(c -> deps.append(c.toXml()));
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>genie.notebook</groupId>
                  <artifactId>notebook-deps</artifactId>
                  <version>1</version>
                  <dependencies>
                %s  </dependencies>
                  <build><plugins><plugin>
                    <groupId>org.apache.maven.plugins</groupId>
                    <artifactId>maven-dependency-plugin</artifactId>
                    <version>3.8.1</version>
                  </plugin></plugins></build>
                </project>
                """.formatted(deps);
    }

    /** The mvn command: $GENIE_MVN, else mvn from PATH. */
    static String mvn() {
        String env = System.getenv("GENIE_MVN");
        if (env != null && !env.isBlank()) return env;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "mvn");
            if (Files.isExecutable(p)) return p.toString();
        }
        return "mvn";
    }

    /** Resolves the artifacts and their runtime dependencies; returns the jar paths. */
    public static List<Path> resolve(List<Coordinate> coordinates, PrintStream log) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("genie-maven-");
        Path pom = dir.resolve("pom.xml");
        Path cpFile = dir.resolve("classpath.txt");
        Path logFile = dir.resolve("mvn.log");
        Files.writeString(pom, pom(coordinates));
        List<String> cmd = List.of(mvn(), "-B", "-q", "-f", pom.toString(), "dependency:build-classpath",
                "-Dmdep.outputFile=" + cpFile, "-Dmdep.includeScope=runtime");
        log.println("Resolving " + coordinates.size() + " artifact(s) with Maven...");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("Maven timed out");
        }
        if (p.exitValue() != 0 || !Files.exists(cpFile)) {
            String out = Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
            throw new IOException("Maven failed (exit " + p.exitValue() + "):\n" + out);
        }
        List<Path> jars = new ArrayList<>();
        for (String e : Files.readString(cpFile).trim().split(File.pathSeparator)) {
            if (!e.isBlank()) jars.add(Path.of(e.trim()));
        }
        return jars;
    }
}
