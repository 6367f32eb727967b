package genie.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The bundled Fashion-MNIST teachers ({@code --model fmnist_resnet20} by default), as files on the class path. */
public final class Teacher {
    public static final String NAME = "fmnist_resnet20";

    private Teacher() {}

    public static Path spec() {
        return spec(NAME);
    }

    /** A bundled teacher's spec by its name ({@code fmnist_resnet20}, {@code fmnist_mobilenetv2}). */
    public static Path spec(String name) {
        return resource(name + ".json");
    }

    public static Path weights() {
        return resource(NAME + ".safetensors");
    }

    private static Path resource(String file) {
        URL url = Teacher.class.getResource("/genie/models/" + file);
        if (url == null || !"file".equals(url.getProtocol())) {
            throw new IllegalStateException("bundled teacher " + file + " not on the class path as a file: " + url);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
