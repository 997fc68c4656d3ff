package io.pfnmap.verification.oracle;

/** Text that is not one well-formed JSON value within the reader's limits. */
public final class JsonSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    public JsonSyntaxException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    /** The 0-based byte offset in the line where the reader stopped. */
    public int offset() {
        return offset;
    }
}
