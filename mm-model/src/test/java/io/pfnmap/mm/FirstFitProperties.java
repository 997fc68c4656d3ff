package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.UnmappedArea;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * What the two searches of {@code vm_unmapped_area} (mm/vma.c) promise beyond in-bounds, no-overlap
 * and congruence (issue 26, "what the searches promise is too weak"): <b>completeness</b> (when a
 * gap takes the padded length inside the limits and clear of the guard gaps, the answer is not
 * -ENOMEM) and <b>minimality</b> in the kernel's own terms (bottom-up: no lower gap, in the
 * iterator's order, takes it; top-down: no higher one; and the address is the kernel's aligned
 * address inside that gap).
 *
 * <p>Both are checked against a brute-force reference that does not use the model's tree queries,
 * its retry loop or its {@code %}-form alignment: it scans every gap in the iterator's order,
 * clips it to the window, asks whether it holds the padded length ({@code info->length +
 * align_mask + start_gap}), takes the kernel's aligned address inside it with the kernel's
 * {@code &} on u64, and applies the kernel's guard-gap test to that address. The first (bottom-up)
 * or last (top-down) gap that passes is the answer. A guard-gap hit on the top-down side lowers
 * the limit and tests the same gap again, as the kernel's retry does.
 *
 * <p>Each statement is a {@link Check} over a {@link Search}, so that {@link FirstFitSeededBugTest}
 * can run it against wrong variants (always -ENOMEM, skipping the first fit, aligning the wrong
 * way) and see it fail.
 */
class FirstFitProperties {
    static final long ENOMEM = -12L;
    /** No fit in a gap (distinct from every address the reference can return below 2^63). */
    static final long NO = Long.MIN_VALUE;

    /** One {@code vm_unmapped_area_info} against one space. */
    record Case(AddressSpace space, boolean topdown, long length, long low, long high, long alignMask,
            long alignOffset, long startGap) {
        MmState mm() {
            return space.state();
        }

        /** The same request searched the other way or this way ({@code td}). */
        Case withTopdown(boolean td) {
            return new Case(space, td, length, low, high, alignMask, alignOffset, startGap);
        }

        /** The same request between other limits. */
        Case withLimits(long lo, long hi) {
            return new Case(space, topdown, length, lo, hi, alignMask, alignOffset, startGap);
        }

        @Override
        public String toString() {
            return (topdown ? "topdown" : "bottom-up") + " len=" + Hex.of(length) + " low=" + Hex.of(low) + " high="
                    + Hex.of(high) + " mask=" + Hex.of(alignMask) + " off=" + Hex.of(alignOffset) + " startGap="
                    + Hex.of(startGap) + " vmas=" + space.vmas() + " guard=" + Hex.of(space.config().stackGuardGap());
        }
    }

    /** A search: the model, or a seeded wrong variant. */
    interface Search {
        long run(Case c);
    }

    /** The model, {@code UnmappedArea.vmUnmappedArea}. */
    static final Search MODEL = c -> UnmappedArea.vmUnmappedArea(c.mm(), c.topdown(), c.length(), c.low(), c.high(),
            c.alignMask(), c.alignOffset(), c.startGap());

    // --- the brute-force reference ---

    static boolean ult(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    static long umax(long a, long b) {
        return ult(a, b) ? b : a;
    }

    static long umin(long a, long b) {
        return ult(a, b) ? a : b;
    }

    /** {@code vm_start_gap}: the start less the stack guard gap (or a page for a shadow stack), 0 on wrap. */
    static long startGapOf(MmState m, int i) {
        long g = (m.vmFlags[i] & MmState.VM_GROWSDOWN) != 0 ? m.stackGuardGap
                : (m.vmFlags[i] & MmState.VM_SHADOW_STACK) != 0 ? m.pageSize : 0;
        long s = m.vmStart[i] - g;
        return ult(m.vmStart[i], s) ? 0 : s;
    }

    static boolean hasStartGap(MmState m, int i) {
        return (m.vmFlags[i] & (MmState.VM_GROWSDOWN | MmState.VM_SHADOW_STACK)) != 0;
    }

    /** The padded length, or 0 when it wraps (-ENOMEM). */
    static long padded(Case c) {
        long p = c.length() + c.alignMask() + c.startGap();
        return ult(p, c.length()) ? 0 : p;
    }

    /**
     * Gap {@code k} clipped to {@code [low, last]}: {@code {start, last}} if it holds {@code
     * padded} bytes there, else null. Gap k lies between VMA k - 1 (or 0) and VMA k (or 2^64).
     */
    static long[] clipped(MmState m, int k, long low, long last, long padded) {
        int n = m.vmStart.length;
        long g = k == 0 ? 0 : m.vmEnd[k - 1];
        if (k < n && m.vmStart[k] == g) {
            return null; // empty gap
        }
        long h = k == n ? -1L : m.vmStart[k] - 1;
        long s = umax(g, low);
        long e = umin(h, last);
        if (ult(e, s) || ult(e - s, padded - 1)) {
            return null;
        }
        return new long[] {s, e};
    }

    /**
     * Bottom-up, gap {@code k}: the kernel's address there ({@code start + start_gap}, raised by
     * {@code (align_offset - gap) & align_mask}) if the gap holds the padded length in the window
     * and that address passes the guard-gap test, else {@link #NO}.
     */
    static long fitUp(Case c, int k) {
        MmState m = c.mm();
        long p = padded(c);
        long low = umax(c.low(), m.mmapMinAddr);
        long[] r = clipped(m, k, low, c.high() - 1, p);
        if (p == 0 || r == null) {
            return NO;
        }
        long gap = r[0] + c.startGap();
        gap += (c.alignOffset() - gap) & c.alignMask();
        if (k < m.vmStart.length && hasStartGap(m, k)) {
            if (ult(startGapOf(m, k), gap + p - 1)) {
                return NO;
            }
        } else if (k > 0 && (m.vmFlags[k - 1] & MmState.VM_GROWSUP) != 0) {
            throw new IllegalArgumentException("VM_GROWSUP is not modelled by the reference");
        }
        return gap;
    }

    /** The first gap, in the iterator's order (lowest first), that {@link #fitUp} accepts; -1 if none. */
    static int firstFitUp(Case c) {
        for (int k = 0; k <= c.mm().vmStart.length; k++) {
            if (fitUp(c, k) != NO) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Top-down, gap {@code k} under limit {@code high}: {@code {address, newHigh}}. The address is
     * the kernel's ({@code gap_end - length}, lowered by {@code (gap - align_offset) & align_mask})
     * or {@link #NO}; {@code newHigh} is the limit the next test runs under (lowered to the next
     * VMA's {@code vm_start_gap} when that lies below the gap's end: the same gap is then tested
     * again, as the kernel's retry does).
     */
    static long[] fitDown(Case c, int k, long high) {
        MmState m = c.mm();
        long p = padded(c);
        long low = umax(c.low(), m.mmapMinAddr);
        long[] r = clipped(m, k, low, high - 1, p);
        if (p == 0 || r == null) {
            return new long[] {NO, high};
        }
        long gapEnd = r[1] + 1;
        long gap = gapEnd - c.length();
        gap -= (gap - c.alignOffset()) & c.alignMask();
        if (k < m.vmStart.length && hasStartGap(m, k)) {
            if (ult(startGapOf(m, k), gapEnd)) {
                return fitDown(c, k, startGapOf(m, k));
            }
        } else if (k > 0 && (m.vmFlags[k - 1] & MmState.VM_GROWSUP) != 0) {
            throw new IllegalArgumentException("VM_GROWSUP is not modelled by the reference");
        }
        return new long[] {gap, high};
    }

    /** The reference's answer: {@code {gap index or -1, address or -ENOMEM}}. */
    static long[] reference(Case c) {
        MmState m = c.mm();
        int n = m.vmStart.length;
        if (!c.topdown()) {
            int k = firstFitUp(c);
            return k < 0 ? new long[] {-1, ENOMEM} : new long[] {k, fitUp(c, k)};
        }
        long high = c.high();
        for (int k = n; k >= 0; k--) {
            long[] f = fitDown(c, k, high);
            if (f[0] != NO) {
                return new long[] {k, f[0]};
            }
            high = f[1];
        }
        return new long[] {-1, ENOMEM};
    }

    /** The gap an address lies in: the number of VMAs that end at or below it. */
    static int gapOf(MmState m, long a) {
        int k = 0;
        while (k < m.vmEnd.length && !ult(a, m.vmEnd[k])) {
            k++;
        }
        return k;
    }

    // --- the statements ---

    /** A statement about one search on one case. */
    interface Check {
        boolean holds(Search s, Case c);
    }

    /** Completeness: when some gap takes the padded length clear of the guard gaps, the answer is not -ENOMEM. */
    static final Check COMPLETE = (s, c) -> reference(c)[0] < 0 || s.run(c) != ENOMEM;

    /**
     * Minimality, in the kernel's terms: an answer lies in the first gap (bottom-up: lowest;
     * top-down: highest) that takes the padded length clear of the guard gaps, and is the kernel's
     * aligned address inside it; -ENOMEM only when no gap does.
     */
    static final Check MINIMAL = (s, c) -> {
        long r = s.run(c);
        long[] ref = reference(c);
        if (r == ENOMEM) {
            return ref[0] < 0;
        }
        return ref[0] >= 0 && gapOf(c.mm(), r) == ref[0] && r == ref[1];
    };

    // --- generators ---

    /**
     * The masks the kernel passes: 0, 2^k - 1 (2 MiB - 1, 1 GiB - 1, the PMD's) and hugetlb's
     * (2^k - 1) & PAGE_MASK (0x1ff000 and 0x3ffff000 with 4 KiB pages), for the configuration's page.
     */
    static Arbitrary<Long> masks(MmConfig c) {
        long pm = -c.pageSize();
        return Arbitraries.of(0L, (2L << 20) - 1, (1L << 30) - 1, ((2L << 20) - 1) & pm, ((1L << 30) - 1) & pm,
                c.pmdSize() - 1, (c.pmdSize() - 1) & pm, c.pageSize() - 1, 0xffffL, 0xffffL & pm);
    }

    /**
     * Spaces built for the first fit to matter: VMAs with gaps from one page to a few MiB (so that
     * padded lengths and the 1 MiB stack guard gap decide which gap fits), some of them stacks or
     * shadow stacks, every stack above its guard gap (top-down's domain).
     */
    static Arbitrary<AddressSpace> tight(MmConfig c) {
        long p = c.pageSize();
        Arbitrary<Long> gaps = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs().between(0, 16)),
                Tuple.of(3, Arbitraries.longs().between(16, 1024)), Tuple.of(1, Arbitraries.longs().between(1024, 4096)));
        Arbitrary<Long> sizes = Arbitraries.longs().between(1, 64);
        Arbitrary<Integer> flags = Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(3, MmState.VM_GROWSDOWN),
                Tuple.of(1, MmState.VM_SHADOW_STACK));
        Arbitrary<long[]> vma = Combinators.combine(gaps, sizes, flags).as((g, s, f) -> new long[] {g, s, f});
        Arbitrary<Long> bases = Arbitraries.of(c.mmapMinAddr(), c.mmapBase() - (64L << 20), c.legacyBase(), 0L, 1L << 32);
        return Combinators.combine(bases, vma.list().ofMinSize(0).ofMaxSize(24)).as((base, vs) -> {
            List<Vma> out = new ArrayList<>();
            long at = base / p;
            for (long[] v : vs) {
                at += v[0];
                long start = at * p;
                at += v[1];
                int f = (int) v[2];
                boolean ok = f == 0 || (f == MmState.VM_GROWSDOWN ? Long.compareUnsigned(start, c.stackGuardGap()) > 0
                        : Long.compareUnsigned(start, p) > 0);
                out.add(ok && f == MmState.VM_GROWSDOWN ? Vma.of(start, at * p, VmaFlag.GROWSDOWN)
                        : ok && f == MmState.VM_SHADOW_STACK ? Vma.of(start, at * p, VmaFlag.SHADOW_STACK)
                        : Vma.of(start, at * p));
            }
            return AddressSpace.of(c, out);
        });
    }

    static List<Long> bounds(AddressSpace as) {
        List<Long> b = new ArrayList<>();
        for (Vma v : as.vmas()) {
            b.add(v.start());
            b.add(v.end());
        }
        return b;
    }

    @Provide
    static Arbitrary<Case> cases() {
        return Spaces.configs().flatMap(c -> {
            long p = c.pageSize();
            Arbitrary<AddressSpace> spaces = Arbitraries.frequencyOf(Tuple.of(4, tight(c)),
                    Tuple.of(1, Spaces.spaces(c).filter(FirstFitProperties::stacksAboveGuardGap)));
            Arbitrary<Long> lengths = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.longs().between(1, 600).map(n -> n * p)),
                    Tuple.of(1, Arbitraries.longs().between(1, 4).map(n -> n * c.pmdSize())),
                    Tuple.of(1, Arbitraries.longs().between(1, 1L << 22)));
            Arbitrary<Long> offsets = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.longs().between(0, 1L << 28).map(n -> n * p)),
                    Tuple.of(1, Arbitraries.longs().between(0, 1L << 40)), Tuple.of(1, Arbitraries.just(0L)));
            Arbitrary<Long> startGaps = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(0L)),
                    Tuple.of(2, Arbitraries.longs().between(1, 64).map(n -> n * p)));
            Arbitrary<Integer> picks = Arbitraries.integers().between(0, 1 << 20);
            Arbitrary<Long> nudges = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0L)),
                    Tuple.of(2, Arbitraries.longs().between(-512, 512).map(n -> n * p)));
            return Combinators.combine(spaces, Arbitraries.of(true, false), lengths, masks(c), offsets, startGaps,
                    Combinators.combine(picks, picks, nudges, nudges).as(List::of))
                    .as((sp, td, len, mask, off, sg, w) -> {
                        List<Long> b = bounds(sp);
                        long lo;
                        long hi;
                        int pl = (Integer) w.get(0);
                        int ph = (Integer) w.get(1);
                        if (b.isEmpty() || pl % 5 == 0) {
                            lo = pl % 2 == 0 ? 0 : c.mmapMinAddr();
                        } else {
                            lo = Math.max(0, b.get(pl % b.size()) + (Long) w.get(2));
                        }
                        if (b.isEmpty() || ph % 5 == 0) {
                            hi = ph % 2 == 0 ? c.mmapBase() : c.taskSize();
                        } else {
                            hi = Math.max(p, b.get(ph % b.size()) + (Long) w.get(3));
                        }
                        if (Long.compareUnsigned(hi, lo) < 0) {
                            long t = lo;
                            lo = hi;
                            hi = t;
                        }
                        if (hi == 0) {
                            hi = c.mmapBase();
                        }
                        return new Case(sp, td, len, lo, hi, mask, off, sg);
                    });
        });
    }

    static boolean stacksAboveGuardGap(AddressSpace as) {
        return SearchProperties.stacksAboveGuardGap(as) && as.vmas().stream().noneMatch(v -> v.flags().contains(VmaFlag.GROWSUP));
    }

    private static void check(Check check, Case c, String what) {
        assertTrue(check.holds(MODEL, c), () -> what + ": model " + Hex.of(MODEL.run(c)) + ", reference gap "
                + reference(c)[0] + " at " + Hex.of(reference(c)[1]) + " for " + c);
    }

    /**
     * Completeness and minimality both ways: bottom-up the first fit, top-down the last, each
     * statement on every generated case.
     */
    @Property(tries = 4000)
    void completeAndTheFirstFitBothWays(@ForAll("cases") Case c) {
        for (boolean topdown : new boolean[] {false, true}) {
            String way = topdown ? "top-down" : "bottom-up";
            check(COMPLETE, c.withTopdown(topdown), way + " completeness");
            check(MINIMAL, c.withTopdown(topdown), way + " minimality");
        }
    }

    /** The same answers without the gap index (the scan the index must agree with). */
    @Property(tries = 1500)
    void withoutTheGapIndexToo(@ForAll("cases") Case c) {
        Case plain = new Case(c.space().withoutGapIndex(), c.topdown(), c.length(), c.low(), c.high(), c.alignMask(),
                c.alignOffset(), c.startGap());
        check(MINIMAL, plain, "minimality without the gap index");
    }

    /** The generator reaches the cases that matter: a first fit that is not the tree's lowest gap, and -ENOMEM. */
    @Property(tries = 1)
    void theGeneratorReachesRetriesAndFailures() {
        long[] seen = new long[3];
        cases().sampleStream().limit(20_000).forEach(c -> {
            Case up = c.withTopdown(false);
            long[] ref = reference(up);
            if (ref[0] < 0) {
                seen[0]++;
            } else {
                // a fit that some lower gap's tree test also passed (the search had to retry)
                MmState m = up.mm();
                long low = umax(up.low(), m.mmapMinAddr);
                for (int k = 0; k < ref[0]; k++) {
                    if (clipped(m, k, low, up.high() - 1, padded(up)) != null) {
                        seen[1]++;
                        break;
                    }
                }
                if (up.alignMask() != 0 && ref[1] != clipped(m, (int) ref[0], low, up.high() - 1, padded(up))[0] + up.startGap()) {
                    seen[2]++;
                }
            }
        });
        System.out.printf("first-fit cases: %d -ENOMEM, %d after a guard-gap retry, %d moved by the mask (of 20,000)%n",
                seen[0], seen[1], seen[2]);
        assertTrue(seen[0] > 100 && seen[1] > 100 && seen[2] > 100, "the generator misses cases: " + java.util.Arrays.toString(seen));
    }
}
