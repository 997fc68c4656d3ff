package io.pfnmap.vfio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Predicate;
import net.jqwik.api.Arbitrary;

/**
 * The check the vfio-model properties' seeded wrong variants share: a variant is rejected when its
 * property fails on some of 20,000 generated cases.
 */
public final class SeededVariants {
    /** Cases drawn from the generator before a variant counts as not rejected. */
    public static final int SAMPLES = 20_000;

    private SeededVariants() {
    }

    /** Prints whether {@code ok} fails on some of {@link #SAMPLES} samples of {@code gen}, and asserts that it does. */
    public static <T> void rejects(String what, Arbitrary<T> gen, Predicate<T> ok) {
        boolean found = gen.sampleStream().limit(SAMPLES).anyMatch(x -> !ok.test(x));
        System.out.printf("seeded bug %-55s %s%n", what, found ? "rejected" : "NOT rejected");
        assertTrue(found, "not rejected: " + what);
    }
}
