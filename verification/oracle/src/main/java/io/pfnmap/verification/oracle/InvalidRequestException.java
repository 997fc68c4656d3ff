package io.pfnmap.verification.oracle;

import io.pfnmap.mm.FieldRuleException;

/**
 * A line that is not a valid request: the field (a path such as {@code vmas[2].start} or {@code
 * mm.task_size}, or {@code line} for the line as a whole) and the rule it breaks. {@link #id()}
 * is the request's id as JSON source text when it could be read, else {@code "null"}.
 */
public final class InvalidRequestException extends FieldRuleException {
    private static final long serialVersionUID = 1L;
    private final String id;

    public InvalidRequestException(String id, String field, String rule) {
        super(field, rule);
        this.id = id == null ? "null" : id;
    }

    /** No stack trace: a malformed line is an answer, not a fault, and a batch may hold many. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    public String id() {
        return id;
    }

    /** The text of the answer's {@code "invalid"} member: {@code "<field>: <rule>"}. */
    public String invalid() {
        return field() + ": " + rule();
    }
}
