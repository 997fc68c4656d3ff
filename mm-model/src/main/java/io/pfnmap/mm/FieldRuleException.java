package io.pfnmap.mm;

/**
 * A refusal that names the field and the rule it breaks, with the message {@code "<field>: <rule>"}:
 * the one shape of the model's refusals ({@link InvalidInputException}) and of those of the layers
 * above it (the oracle's invalid requests), so that each is read the same way.
 */
public abstract class FieldRuleException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String rule;

    protected FieldRuleException(String field, String rule) {
        super(field + ": " + rule);
        this.field = field;
        this.rule = rule;
    }

    public String field() {
        return field;
    }

    public String rule() {
        return rule;
    }
}
