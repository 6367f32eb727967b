package genie.nn;

/** Weights that do not fit the architecture: every missing, unexpected and mismatched key in one message. */
public final class WeightsMismatchException extends IllegalArgumentException {
    public WeightsMismatchException(String message) {
        super(message);
    }
}
