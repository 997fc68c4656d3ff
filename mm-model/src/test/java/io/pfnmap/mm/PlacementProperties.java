package io.pfnmap.mm;

import static io.pfnmap.mm.ModelStatements.modelHolds;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.core.AlignedArea;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.DoMmap;
import io.pfnmap.mm.core.GetUnmappedArea;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.mm.core.Predicates;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the whole placement path (do_mmap, __get_unmapped_area, the arch searches and the
 * aligned helper) over generated spaces and requests, u64 edges included. Each statement is a
 * static method over an implementation so {@link SeededBugTest} can show it rejects a wrong one.
 */
class PlacementProperties {

    /** One request against one space. */
    record Case(AddressSpace space, FileKind file, long addr, long len, long pgoff, long flags) {
        long pageLen() {
            return Arith.alignUp(len, space.config().pageSize());
        }

        boolean fixed() {
            return MapFlags.has(flags, MapFlags.MAP_FIXED) || MapFlags.has(flags, MapFlags.MAP_FIXED_NOREPLACE);
        }
    }

    /** A do_mmap implementation: the model, or a seeded wrong variant. */
    interface DoMmapImpl extends ModelStatements.Impl<Case> {
    }

    /** An aligned-helper implementation (__thp_get_unmapped_area at a size). */
    interface AlignedImpl {
        long run(AddressSpace as, long addr, long len, long off, long size);
    }

    /** A plain-search implementation (mm_get_unmapped_area_vmflags). */
    interface PlainImpl {
        long run(AddressSpace as, long addr, long len, long pgoff);
    }

    static final DoMmapImpl MODEL = c -> DoMmap.doMmap(c.space().state(), fileCore(c.file()), c.addr(), c.len(),
            c.pgoff(), c.flags(), c.file().maxSize());
    static final AlignedImpl ALIGNED = (as, addr, len, off, size) -> AlignedArea.thpGetUnmappedAreaAligned(
            as.state(), addr, len, off, 0, size, 0);
    /**
     * The plain search as a request without a hook sees it: {@code __get_unmapped_area} for a file
     * with no {@code get_unmapped_area}, its answer checked against TASK_SIZE and alignment.
     */
    static final PlainImpl PLAIN = (as, addr, len, pgoff) -> GetUnmappedArea.getUnmappedArea(as.state(),
            GetUnmappedArea.FILE_PLAIN, addr, len, pgoff, MapFlags.MAP_SHARED);

    static int fileCore(FileKind k) {
        return k == FileKind.ANON ? GetUnmappedArea.FILE_ANON
                : k == FileKind.THP_FILE ? GetUnmappedArea.FILE_THP : GetUnmappedArea.FILE_PLAIN;
    }

    /**
     * In-bounds: a success is page-aligned and {@code [r, r + len)} lies below TASK_SIZE; without
     * MAP_FIXED it also lies at or above mmap_min_addr.
     */
    static boolean inBounds(DoMmapImpl impl, Case c) {
        long r = impl.run(c);
        if (Arith.isErrValue(r)) {
            return true;
        }
        MmConfig m = c.space().config();
        long low = c.fixed() ? 0 : m.mmapMinAddr();
        return r % m.pageSize() == 0 && Predicates.inBounds(r, c.pageLen(), low, m.taskSize());
    }

    /** No-overlap: a success without MAP_FIXED meets no VMA and clears its neighbours' guard gaps. */
    static boolean overlapsNothing(DoMmapImpl impl, Case c) {
        long r = impl.run(c);
        if (Arith.isErrValue(r) || MapFlags.has(c.flags(), MapFlags.MAP_FIXED)) {
            return true;
        }
        if (MapFlags.has(c.flags(), MapFlags.MAP_FIXED_NOREPLACE)) {
            // NOREPLACE promises no VMA meets the range; guard gaps are not its business.
            return io.pfnmap.mm.core.VmaTree.findVmaIntersection(c.space().state(), r, r + c.pageLen()) < 0;
        }
        return Predicates.overlapsNothing(c.space().state(), r, c.pageLen());
    }

    /**
     * The hint rule: a fixed request lands at its address or fails; a valid hint that is free for
     * the length the search asks for is taken unchanged.
     */
    static boolean hintHonoured(DoMmapImpl impl, Case c) {
        long r = impl.run(c);
        MmConfig m = c.space().config();
        if (c.fixed()) {
            return Arith.isErrValue(r) || r == c.addr();
        }
        long hint = DoMmap.roundHintToMin(c.space().state(), c.addr());
        if (c.file() == FileKind.ANON && (c.flags() & MapFlags.MAP_SHARED) != 0 || c.len() == 0
                || Arith.ugt(c.pageLen(), m.taskSize()) || c.pageLen() == 0) {
            return true;
        }
        // The THP hook searches len + PMD_SIZE first: a hint free for len but not for the padded
        // length is legitimately placed elsewhere (aligned). Its premise is the padded range.
        long need = c.file() == FileKind.THP_FILE ? c.pageLen() + m.pmdSize() : c.pageLen();
        if (Arith.ult(need, c.pageLen()) || !Predicates.hintFree(c.space().state(), hint, need)) {
            return true;
        }
        // Only a file's size limit may still refuse a free hint.
        return r == hint || r == -75L;
    }

    /**
     * Pgoff-congruence of the aligned helper: 0 (fall back), the hint, or an address congruent to
     * the offset at the leaf size whose range with its padding is free.
     */
    static boolean alignedCongruent(AlignedImpl impl, AddressSpace as, long addr, long len, long off, long size) {
        long r = impl.run(as, addr, len, off, size);
        return r == 0 || r == addr || Predicates.pgoffCongruent(r, off, size)
                && Predicates.overlapsNothing(as.state(), r, len);
    }

    /** Best-effort: whenever the plain search succeeds, the THP file path succeeds too. */
    static boolean bestEffort(PlainImpl plain, DoMmapImpl thpPath, Case c) {
        long len = c.pageLen();
        if (len == 0 || Arith.ugt(len, c.space().config().taskSize())) {
            return true;
        }
        long p = plain.run(c.space(), DoMmap.roundHintToMin(c.space().state(), c.addr()), len, c.pgoff());
        if (Arith.isErrValue(p)) {
            return true;
        }
        long r = thpPath.run(new Case(c.space(), FileKind.THP_FILE, c.addr(), len, c.pgoff(), MapFlags.MAP_SHARED));
        // the file-size check (EOVERFLOW) is not a placement failure
        return !Arith.isErrValue(r) || r == -75L;
    }

    @Provide
    static Arbitrary<Case> cases() {
        return Spaces.configs().flatMap(c -> Combinators.combine(Spaces.spaces(c),
                Arbitraries.of(FileKind.ANON, FileKind.THP_FILE, FileKind.PLAIN_FILE, FileKind.PLAIN_DEVICE),
                Spaces.hints(c), Spaces.lengths(c), Spaces.pgoffs(c),
                Arbitraries.of(0L, 0L, 0L, MapFlags.MAP_FIXED_NOREPLACE, MapFlags.MAP_FIXED),
                Arbitraries.of(MapFlags.MAP_PRIVATE, MapFlags.MAP_SHARED))
                .as((sp, file, addr, len, pgoff, fixed, type) -> new Case(sp, file, addr, len,
                        file == FileKind.ANON ? 0 : pgoff,
                        type | fixed | (file == FileKind.ANON ? MapFlags.MAP_ANONYMOUS : 0))));
    }

    @Provide
    static Arbitrary<long[]> alignedCalls() {
        return Arbitraries.longs().between(0, 8).flatMap(sizeExp -> Spaces.configs().flatMap(c -> Combinators
                .combine(Spaces.hints(c), Spaces.lengths(c), Spaces.pgoffs(c), Arbitraries.of(c.pageSize(),
                        c.pmdSize(), 1L << 30, c.pmdSize() * 16, c.pageSize() * 16))
                .as((addr, len, pgoff, size) -> new long[] {addr - addr % c.pageSize(),
                        Math.max(c.pageSize(), len - len % c.pageSize()), pgoff * c.pageSize(), size})));
    }

    @Property(tries = 3000)
    void inBounds(@ForAll("cases") Case c) {
        modelHolds(PlacementProperties::inBounds, MODEL, c);
    }

    @Property(tries = 3000)
    void overlapsNothing(@ForAll("cases") Case c) {
        modelHolds(PlacementProperties::overlapsNothing, MODEL, c);
    }

    @Property(tries = 3000)
    void hintHonoured(@ForAll("cases") Case c) {
        modelHolds(PlacementProperties::hintHonoured, MODEL, c);
    }

    @Property(tries = 3000)
    void bestEffort(@ForAll("cases") Case c) {
        assertTrue(bestEffort(PLAIN, MODEL, c), () -> "case " + c);
    }

    @Property(tries = 3000)
    void alignedHelperIsCongruent(@ForAll("cases") Case c, @ForAll("alignedCalls") long[] a) {
        AddressSpace as = c.space();
        if (as.config().pageSize() != 4096 && a[3] % as.config().pageSize() != 0) {
            return;
        }
        assertTrue(alignedCongruent(ALIGNED, as, a[0], a[1], a[2], a[3]),
                () -> "aligned(" + Hex.of(a[0]) + ", " + Hex.of(a[1]) + ", " + Hex.of(a[2]) + ", " + Hex.of(a[3]) + ") = "
                        + Hex.of(ALIGNED.run(as, a[0], a[1], a[2], a[3])) + " in " + as);
    }
}
