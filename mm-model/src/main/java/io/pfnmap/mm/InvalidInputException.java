package io.pfnmap.mm;

/**
 * Input that the model refuses, naming the field and the rule it breaks; never a kernel answer.
 */
public final class InvalidInputException extends FieldRuleException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String field, String rule) {
        super(field, rule);
    }
}
