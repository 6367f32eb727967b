package genie.setup;

import genie.data.FashionMnist;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the Debian dataset packages the command line and the notebooks read, when run as root on Debian.
 * Kept out of {@code genie.data}: the readers must not start package managers.
 */
public final class DatasetInstaller {
    private DatasetInstaller() {}

    /**
     * For the command line: makes sure the Debian package is installed. When the dataset is missing and this
     * process runs as root on Debian, runs {@code apt-get install -y dataset-fashion-mnist} (after
     * {@code apt-get update} if the first attempt fails), printing progress to {@code log}. Otherwise prints the
     * command to run. Never throws.
     *
     * @return true when the default dataset directory now holds the files
     */
    public static boolean fashionMnist(PrintStream log) {
        FashionMnist fm = new FashionMnist();
        if (fm.isInstalled()) {
            return true;
        }
        if (!fm.directory().equals(Path.of(FashionMnist.DEFAULT_DIR))) {
            log.println("Fashion-MNIST is not in " + fm.directory() + " (env " + FashionMnist.ENV_DIR
                    + "); put the four IDX files there, or unset " + FashionMnist.ENV_DIR + " and run: "
                    + FashionMnist.INSTALL_HINT);
            return false;
        }
        if (!Files.exists(Path.of("/etc/debian_version")) || !isRoot()) {
            log.println("Fashion-MNIST is not installed in " + fm.directory() + "; install it with: "
                    + FashionMnist.INSTALL_HINT);
            return false;
        }
        log.println("installing Debian package " + FashionMnist.DEBIAN_PACKAGE + " ...");
        boolean ok = run(log, "apt-get", "install", "-y", FashionMnist.DEBIAN_PACKAGE);
        if (!ok) {
            log.println("apt-get install failed; running apt-get update and retrying ...");
            run(log, "apt-get", "update");
            ok = run(log, "apt-get", "install", "-y", FashionMnist.DEBIAN_PACKAGE);
        }
        boolean installed = new FashionMnist().isInstalled();
        if (!installed) {
            log.println("could not install " + FashionMnist.DEBIAN_PACKAGE + "; install it by hand with: " + FashionMnist.INSTALL_HINT);
        }
        return installed;
    }

    private static boolean isRoot() {
        if ("root".equals(System.getProperty("user.name"))) {
            return true;
        }
        try {
            Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean run(PrintStream log, String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            p.getOutputStream().close();
            try (var reader = new java.io.BufferedReader(
                    new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    log.println("  " + line);
                }
            }
            return p.waitFor() == 0;
        } catch (IOException e) {
            log.println("  cannot run " + String.join(" ", cmd) + ": " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
