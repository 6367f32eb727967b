package genie.data;

import java.nio.file.Path;

/** A dataset that is not installed. The message names where it was looked for and how to install it. */
public class DatasetMissingException extends IllegalStateException {
    private final transient Path directory;

    public DatasetMissingException(Path directory, String message) {
        super(message);
        this.directory = directory;
    }

    /** Where the dataset was looked for. */
    public Path directory() {
        return directory;
    }
}
