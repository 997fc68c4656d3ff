package io.pfnmap.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.arch.core.Leaves;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * No over-alignment and maximality of {@link Leaves#largestLeafNotAbove}, with a seeded wrong
 * variant (one that rounds up) that the same statement must reject.
 */
class LeafProperties {

    interface Choice {
        long pick(long[] sizes, long limit);
    }

    /** Not above the limit, a leaf of the table, and no larger leaf is also not above it. */
    static boolean maximalNotAbove(Choice f, long[] sizes, long limit) {
        long r = f.pick(sizes, limit);
        if (r == 0) {
            return sizes[sizes.length - 1] > limit;
        }
        if (r > limit || !Leaves.isLeaf(sizes, r)) {
            return false;
        }
        for (long s : sizes) {
            if (s <= limit && s > r) {
                return false;
            }
        }
        return true;
    }

    @Provide
    static Arbitrary<ArchConfig> configs() {
        return Arbitraries.of(Arch.allConfigs());
    }

    @Provide
    static Arbitrary<Long> limits() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, Leaves.MAX_SIZE),
                Arbitraries.integers().between(0, 62).map(k -> 1L << k),
                Arbitraries.integers().between(1, 62).map(k -> (1L << k) - 1));
    }

    @Property(tries = 2000)
    void largestLeafIsMaximalAndNotAbove(@ForAll("configs") ArchConfig c, @ForAll("limits") long limit) {
        assertTrue(maximalNotAbove(Leaves::largestLeafNotAbove, c.pfnmapLeafSizesDescending(), limit));
        assertTrue(maximalNotAbove(Leaves::largestLeafNotAbove, c.leafSizesDescending(), limit));
    }

    @Test
    void seededBugRoundingUpIsRejected() {
        Choice bug = (sizes, limit) -> {
            for (int i = sizes.length - 1; i >= 0; i--) {
                if (sizes[i] >= limit) {
                    return sizes[i]; // the smallest leaf at or above: over-aligns
                }
            }
            return 0;
        };
        boolean rejected = configs().sampleStream().limit(2000).anyMatch(c -> limits().sampleStream().limit(5)
                .anyMatch(l -> !maximalNotAbove(bug, c.pfnmapLeafSizesDescending(), l)));
        assertTrue(rejected, "the property must reject a choice that rounds up");
    }
}
