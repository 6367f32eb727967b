package genie.sweep;

/** Builds the spec's error messages: which file, which key, what is wrong and what to write instead. */
final class SpecErrors {
    private final String source;

    SpecErrors(String source) {
        this.source = source;
    }

    SweepSpecException at(String key, String problem) {
        return new SweepSpecException("sweep spec " + source + ": \"" + key + "\" " + problem);
    }
}
