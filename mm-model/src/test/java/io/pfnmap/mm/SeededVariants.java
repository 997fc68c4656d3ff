package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Predicate;
import net.jqwik.api.Arbitrary;

/**
 * The check the mm-model properties' seeded wrong variants share: a variant is rejected when its
 * property fails on some of 30,000 generated cases.
 */
final class SeededVariants {
    /** Cases drawn from the generator before a variant counts as not rejected. */
    static final int BUDGET = 30_000;

    private SeededVariants() {
    }

    /** Prints whether {@code property} fails on some of {@link #BUDGET} samples of {@code gen}, and asserts that it does. */
    static <T> void rejects(String what, Arbitrary<T> gen, Predicate<T> property) {
        long[] n = {0};
        boolean found = gen.sampleStream().limit(BUDGET).anyMatch(x -> {
            n[0]++;
            return !property.test(x);
        });
        System.out.printf("seeded bug %-48s %s after %d samples%n", what, found ? "rejected" : "NOT rejected", n[0]);
        assertTrue(found, "the property did not reject the seeded bug: " + what);
    }
}
