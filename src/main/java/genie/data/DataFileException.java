package genie.data;

import java.nio.file.Path;

/** A data file that exists but cannot be used (truncated, corrupt, wrong layout). The message names the file. */
public class DataFileException extends IllegalStateException {
    private final transient Path file;

    public DataFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public DataFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
