package genie.data;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

final class DataTestSupport {
    private DataTestSupport() {
    }

    /**
     * The installed Fashion-MNIST. When it is absent: fails under CI=true, skips (with the fix) otherwise.
     */
    static FashionMnist fashionMnistOrSkip() {
        FashionMnist fm = new FashionMnist();
        if (!fm.isInstalled()) {
            String msg = "Fashion-MNIST not installed in " + fm.directory() + "; " + FashionMnist.INSTALL_HINT;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg + " (CI=true: data tests must not be skipped)");
            }
            Assumptions.assumeTrue(false, msg);
        }
        return fm;
    }

    static Path resource(String name) {
        try {
            var url = DataTestSupport.class.getResource("/" + name);
            if (url == null) {
                throw new UncheckedIOException(new IOException("test resource " + name + " not found"));
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
