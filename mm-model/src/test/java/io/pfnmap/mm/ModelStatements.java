package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiPredicate;

/**
 * What the statements of {@link PlacementProperties} and {@link SearchProperties} share: each is
 * made of an implementation (the model, or a seeded wrong variant) and one case, and the model's
 * property asserts it of the model, showing the model's answer when it fails.
 */
final class ModelStatements {
    private ModelStatements() {
    }

    /** An implementation a statement is made of: its answer to one case. */
    interface Impl<C> {
        long run(C c);
    }

    /** Asserts {@code statement} of {@code model} at {@code c}; a failure shows the model's answer and the case. */
    static <C, I extends Impl<C>> void modelHolds(BiPredicate<I, C> statement, I model, C c) {
        assertTrue(statement.test(model, c), () -> "result " + Hex.of(model.run(c)) + " of " + c);
    }
}
