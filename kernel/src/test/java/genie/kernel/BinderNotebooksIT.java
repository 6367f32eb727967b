package genie.kernel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code binder/postBuild} on this machine with HOME set to a temp folder (Maven offline, the usual local
 * repository) and checks that the user kernelspec genie-java appears under that HOME, pointing at this checkout.
 */
class BinderNotebooksIT {
    @TempDir
    Path home;

    @Test
    void postBuildBuildsAndInstallsTheUserKernelspec() throws Exception {
        Path root = Path.of(System.getProperty("genie.kernel.dir", ".")).toAbsolutePath().getParent();
        Path apt = root.resolve("binder/apt.txt");
        List<String> packages = Files.readAllLines(apt).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        assertTrue(packages.containsAll(List.of("openjdk-17-jdk-headless", "maven", "dataset-fashion-mnist")), packages.toString());
        Path repo = Path.of(System.getProperty("user.home"), ".m2", "repository");
        if (!Files.isDirectory(repo) || !Files.isExecutable(Path.of("/usr/bin/mvn"))) {
            String why = "no Maven or local repository " + repo;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError("CI=true: " + why);
            Assumptions.abort(why);
        }
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("binder/postBuild").toString()).directory(root.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("JUPYTER_DATA_DIR");
        env.remove("XDG_DATA_HOME");
        env.remove("JUPYTER_PATH");
        env.put("HOME", home.toString());
        env.put("GENIE_MVN_OFFLINE", "1");
        env.put("MAVEN_OPTS", "-Dmaven.repo.local=" + repo);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(900, TimeUnit.SECONDS), "postBuild timed out");
        System.out.println(out);
        assertEquals(0, p.exitValue(), out);
        Path spec = home.resolve(".local/share/jupyter/kernels/genie-java/kernel.json");
        assertTrue(Files.isRegularFile(spec), "no kernelspec at " + spec + "\n" + out);
        String json = Files.readString(spec);
        assertTrue(json.contains("genie.kernel.GenieKernel") && json.contains(root.resolve("kernel/target").toString()), json);
        assertTrue(json.contains("ai.djl.offline=true"), json);
    }
}
