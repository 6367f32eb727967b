package genie.io;

import java.util.Arrays;
import java.util.Optional;

/** The safetensors element types this project reads and writes, by their names in the header. */
public enum Dtype {
    BOOL(1, false), U8(1, false), I8(1, false), I16(2, false), U16(2, false), I32(4, false), U32(4, false),
    I64(8, false), U64(8, false), F16(2, true), BF16(2, true), F32(4, true), F64(8, true);

    private final int bytes;
    private final boolean floating;

    Dtype(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return floating;
    }

    /** The dtype named {@code name} in a header, if it is one of ours (names are case-sensitive in the format). */
    public static Optional<Dtype> parse(String name) {
        return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
    }

    /** The dtype named {@code name}; an IllegalArgumentException listing the supported names otherwise. */
    public static Dtype of(String name) {
        return parse(name).orElseThrow(() -> new IllegalArgumentException("unknown safetensors dtype '" + name
                + "'; supported: " + supported()));
    }

    /** The supported names, for error messages. */
    public static String supported() {
        return Arrays.toString(values());
    }
}
