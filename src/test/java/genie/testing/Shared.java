package genie.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the read-only {@code shared/} folder beside the checkout (teacher model, notes). */
public final class Shared {
    private Shared() {}

    public static Path dir() {
        String prop = System.getProperty("genie.shared");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "shared");
        if (!Files.isDirectory(p)) {
            p = Path.of("..", "..", "shared");
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("shared/ folder not found beside the checkout (looked at " + prop
                    + "); set -Dgenie.shared=/path/to/shared");
        }
        return p.toAbsolutePath().normalize();
    }

    public static Path teacherSpec() {
        return dir().resolve("models/fmnist_resnet20.json");
    }

    public static Path teacherWeights() {
        return dir().resolve("models/fmnist_resnet20.safetensors");
    }
}
