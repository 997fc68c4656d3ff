package io.pfnmap.verification.oracle;

/**
 * A line that is not a valid request: the field (a path such as {@code vmas[2].start} or {@code
 * mm.task_size}, or {@code line} for the line as a whole) and the rule it breaks. {@link #id()}
 * is the request's id as JSON source text when it could be read, else {@code "null"}.
 */
public final class InvalidRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String id;
    private final String field;
    private final String rule;

    public InvalidRequestException(String id, String field, String rule) {
        super(field + ": " + rule, null, false, false);
        this.id = id == null ? "null" : id;
        this.field = field;
        this.rule = rule;
    }

    public String id() {
        return id;
    }

    public String field() {
        return field;
    }

    public String rule() {
        return rule;
    }

    /** The text of the answer's {@code "invalid"} member: {@code "<field>: <rule>"}. */
    public String invalid() {
        return field + ": " + rule;
    }
}
