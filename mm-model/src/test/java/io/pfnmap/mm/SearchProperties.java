package io.pfnmap.mm;

import static io.pfnmap.mm.ModelStatements.modelHolds;

import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.Predicates;
import io.pfnmap.mm.core.UnmappedArea;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of {@code vm_unmapped_area} (mm/vma.c) over generated address spaces: in-bounds,
 * no-overlap with guard gaps, congruence to align_offset. Each statement is a {@link Check}, so
 * {@link SeededBugTest} can run the same statement against a wrong variant and see it fail.
 */
class SearchProperties {

    /** One {@code vm_unmapped_area_info} against one space. */
    record Info(AddressSpace space, boolean topdown, long length, long low, long high, long alignMask,
            long alignOffset) {
    }

    /** A search implementation: the model, or a seeded wrong variant. */
    interface Search extends ModelStatements.Impl<Info> {
    }

    static final Search MODEL = i -> UnmappedArea.vmUnmappedArea(i.space().state(), i.topdown(), i.length(),
            i.low(), i.high(), i.alignMask(), i.alignOffset(), 0);

    static boolean isEnomem(long r) {
        return r == -12L;
    }

    /** In-bounds: inside [max(low, mmap_min_addr), high). */
    static boolean inBounds(Search s, Info i) {
        long r = s.run(i);
        return isEnomem(r) || Predicates.inBounds(r, i.length(), Arith.umax(i.low(), i.space().config().mmapMinAddr()),
                i.high());
    }

    /** No-overlap: the range, widened by guard gaps, meets no VMA. */
    static boolean overlapsNothing(Search s, Info i) {
        long r = s.run(i);
        return isEnomem(r) || Predicates.overlapsNothing(i.space().state(), r, i.length());
    }

    /** Congruence: (result - align_offset) mod (align_mask + 1) == 0. */
    static boolean congruent(Search s, Info i) {
        long r = s.run(i);
        return isEnomem(r) || Predicates.pgoffCongruent(r, i.alignOffset(), i.alignMask() + 1);
    }

    @Provide
    static Arbitrary<Info> infos() {
        return Spaces.configs().flatMap(c -> Combinators.combine(Spaces.spaces(c), Arbitraries.of(true, false),
                Spaces.lengths(c).filter(l -> l % c.pageSize() == 0 && l != 0), Spaces.hints(c).map(h -> h - h % c.pageSize()),
                Spaces.hints(c).map(h -> h - h % c.pageSize()), Arbitraries.of(0L, c.pageSize() - 1, c.pmdSize() - 1,
                        (1L << 30) - 1), Spaces.hints(c)).as((sp, td, len, lo, hi, mask, off) -> {
                            long offset = off - off % c.pageSize();
                            long low = Long.compareUnsigned(lo, hi) <= 0 ? lo : hi;
                            long high = Long.compareUnsigned(lo, hi) <= 0 ? hi : lo;
                            return new Info(sp, td, len, low, high == 0 ? c.mmapBase() : high, mask, offset);
                        }));
    }

    /**
     * In-bounds needs every stack to start above stack_guard_gap: for one that does not, {@code
     * vm_start_gap} is 0, the top-down retry sets {@code high_limit = 0}, and {@code high_limit - 1}
     * opens the whole address space (a quirk of mm/vma.c that {@link
     * KernelFactsExamplesTest#topdownRetryBelowALowStackWraps} shows; do_mmap's TASK_SIZE check
     * then turns the result into -ENOMEM).
     */
    static boolean stacksAboveGuardGap(AddressSpace as) {
        return as.vmas().stream().noneMatch(v -> v.flags().contains(VmaFlag.GROWSDOWN)
                && Long.compareUnsigned(v.start(), as.config().stackGuardGap()) <= 0);
    }

    @Property(tries = 3000)
    void inBounds(@ForAll("infos") Info i) {
        net.jqwik.api.Assume.that(stacksAboveGuardGap(i.space()));
        modelHolds(SearchProperties::inBounds, MODEL, i);
    }

    @Property(tries = 3000)
    void overlapsNothing(@ForAll("infos") Info i) {
        modelHolds(SearchProperties::overlapsNothing, MODEL, i);
    }

    @Property(tries = 3000)
    void congruentToAlignOffset(@ForAll("infos") Info i) {
        modelHolds(SearchProperties::congruent, MODEL, i);
    }
}
