package io.pfnmap.mm;

/**
 * A refusal that names the field and the rule it breaks, with the message {@code "<field>: <rule>"}:
 * the one shape of the model's refusals ({@link InvalidInputException}) and of those of the layers
 * above it (the oracle's invalid requests), so that each is read the same way.
 */
public abstract class FieldRuleException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    protected FieldRuleException(String field, String rule) {
        super(field + ": " + rule);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The rule: the message after the field and its colon (the message is never changed). */
    public String rule() {
        return getMessage().substring(String.valueOf(field).length() + 2);
    }
}
