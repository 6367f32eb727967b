package genie.quant;

import java.io.IOException;
import java.nio.file.Path;

/** Placeholder replaced below. */
public final class IntegerExport {
    private IntegerExport() {}

    public static void write(QuantizedModel q, Path out) throws IOException {
        throw new UnsupportedOperationException("integer export is not implemented yet");
    }
}
