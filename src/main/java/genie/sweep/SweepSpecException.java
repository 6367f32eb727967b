package genie.sweep;

/** A sweep spec that cannot be used; the message names the file, the key at fault and the fix. */
public final class SweepSpecException extends IllegalArgumentException {
    SweepSpecException(String message) {
        super(message);
    }
}
