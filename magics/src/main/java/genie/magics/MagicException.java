package genie.magics;

/** A magic's bad option: the message is the CLI's (picocli's) message for the same mistake. */
public final class MagicException extends IllegalArgumentException {
    public MagicException(String message) {
        super(message);
    }
}
