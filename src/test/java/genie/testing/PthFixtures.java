package genie.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The torch.save fixtures of {@code tools/make_pth_fixtures.py} and their expected values. */
public final class PthFixtures {
    private PthFixtures() {}

    public static Path file(String name) {
        try {
            return Path.of(PthFixtures.class.getResource("/pth/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per dtype ("f32", "f16", "bf16") every tensor's values as float32, and "shapes". */
    public static JsonObject expected() throws IOException {
        return JsonParser.parseString(Files.readString(file("expected.json"))).getAsJsonObject();
    }
}
