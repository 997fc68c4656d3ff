package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.core.AlignedArea;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.ArchGetUnmappedArea;
import io.pfnmap.mm.core.DoMmap;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.UnmappedArea;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

/**
 * Every property of {@link SearchProperties} and {@link PlacementProperties} must be able to fail:
 * each is run here against a deliberately wrong variant over the same generators, and must
 * reject it within a bounded number of samples.
 */
class SeededBugTest {

    private static <T> void rejects(String what, Arbitrary<T> gen, Predicate<T> property) {
        SeededVariants.rejects(what, gen, property);
    }

    private static MmState with(MmState m, long mmapMinAddr, long[] starts, long[] ends, int[] flags) {
        return new MmState(m.arch, m.pageSize, m.pmdSize, m.taskSize, m.taskSizeMax, m.defaultMapWindow, m.mmapBase,
                m.legacyBase, mmapMinAddr, m.dacMmapMinAddr, m.stackGuardGap, m.topdown, m.thp, m.capSysRawio,
                m.shmemHugeSize, m.vaAlignMask, m.vaAlignBits, starts, ends, flags, null); // no gap index: the arrays differ from m's
    }

    // --- vm_unmapped_area ---

    @Test
    void searchInBoundsRejectsWindowOffByOnePage() {
        SearchProperties.Search bug = i -> UnmappedArea.vmUnmappedArea(i.space().state(), i.topdown(), i.length(),
                i.low(), i.high() + i.space().config().pageSize(), i.alignMask(), i.alignOffset(), 0);
        rejects("search: high_limit one page too high", SearchProperties.infos(), i -> SearchProperties.inBounds(bug, i));
    }

    @Test
    void searchNoOverlapRejectsIgnoredGuardGap() {
        SearchProperties.Search bug = i -> {
            MmState m = i.space().state();
            return UnmappedArea.vmUnmappedArea(with(m, m.mmapMinAddr, m.vmStart, m.vmEnd, new int[m.vmFlags.length]),
                    i.topdown(), i.length(), i.low(), i.high(), i.alignMask(), i.alignOffset(), 0);
        };
        rejects("search: stack guard gap ignored", SearchProperties.infos(), i -> SearchProperties.overlapsNothing(bug, i));
    }

    @Test
    void searchCongruenceRejectsDroppedAlignOffset() {
        SearchProperties.Search bug = i -> UnmappedArea.vmUnmappedArea(i.space().state(), i.topdown(), i.length(),
                i.low(), i.high(), i.alignMask(), 0, 0);
        rejects("search: align_offset dropped", SearchProperties.infos(), i -> SearchProperties.congruent(bug, i));
    }

    // --- do_mmap and the aligned helper ---

    @Test
    void placementInBoundsRejectsMissingMinAddr() {
        PlacementProperties.DoMmapImpl bug = c -> {
            MmState m = c.space().state();
            return DoMmap.doMmap(with(m, m.pageSize, m.vmStart, m.vmEnd, m.vmFlags), PlacementProperties.fileCore(c.file()),
                    c.addr(), c.len(), c.pgoff(), c.flags(), c.file().maxSize());
        };
        rejects("do_mmap: mmap_min_addr not applied", PlacementProperties.cases(), c -> PlacementProperties.inBounds(bug, c));
    }

    @Test
    void placementNoOverlapRejectsForgottenVma() {
        PlacementProperties.DoMmapImpl bug = c -> {
            MmState m = c.space().state();
            int n = m.vmStart.length;
            if (n == 0) {
                return PlacementProperties.MODEL.run(c);
            }
            // the search forgets the VMA in the middle of the list
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (i != n / 2) {
                    keep.add(i);
                }
            }
            long[] s = new long[n - 1];
            long[] e = new long[n - 1];
            int[] f = new int[n - 1];
            for (int j = 0; j < keep.size(); j++) {
                s[j] = m.vmStart[keep.get(j)];
                e[j] = m.vmEnd[keep.get(j)];
                f[j] = m.vmFlags[keep.get(j)];
            }
            return DoMmap.doMmap(with(m, m.mmapMinAddr, s, e, f), PlacementProperties.fileCore(c.file()), c.addr(),
                    c.len(), c.pgoff(), c.flags(), c.file().maxSize());
        };
        rejects("do_mmap: one VMA not seen by the search", PlacementProperties.cases(),
                c -> PlacementProperties.overlapsNothing(bug, c));
    }

    @Test
    void hintRuleRejectsIgnoredHint() {
        PlacementProperties.DoMmapImpl bug = c -> MapFlags.has(c.flags(), MapFlags.MAP_FIXED)
                || MapFlags.has(c.flags(), MapFlags.MAP_FIXED_NOREPLACE) ? PlacementProperties.MODEL.run(c)
                        : PlacementProperties.MODEL.run(new PlacementProperties.Case(c.space(), c.file(), 0, c.len(),
                                c.pgoff(), c.flags()));
        rejects("do_mmap: hint ignored", PlacementProperties.cases(), c -> PlacementProperties.hintHonoured(bug, c));
    }

    @Test
    void bestEffortRejectsMissingFallback() {
        PlacementProperties.DoMmapImpl bug = c -> {
            MmState m = c.space().state();
            long r = AlignedArea.thpGetUnmappedAreaAligned(m, DoMmap.roundHintToMin(m, c.addr()), c.pageLen(),
                    c.pgoff() * m.pageSize, c.flags(), m.pmdSize, 0);
            return r == 0 ? -12L : r; // no fallback to the plain search
        };
        rejects("aligned path: no fallback to the plain search", PlacementProperties.cases(),
                c -> PlacementProperties.bestEffort(PlacementProperties.PLAIN, bug, c));
    }

    @Test
    void alignedCongruenceRejectsSwappedOffSub() {
        PlacementProperties.AlignedImpl bug = (as, addr, len, off, size) -> {
            MmState m = as.state();
            long lenPad = len + size;
            if (!AlignedArea.coversAlignedBlock(off, len, size) || Arith.ult(lenPad, len)) {
                return 0;
            }
            long ret = ArchGetUnmappedArea.mmGetUnmappedAreaVmflags(m, addr, lenPad, 0, 0, 0);
            if (Arith.isErrValue(ret)) {
                return 0;
            }
            if (ret == addr) {
                return addr;
            }
            return ret + Arith.remU(ret - off, size); // (ret - off) where the kernel has (off - ret)
        };
        rejects("aligned helper: off_sub sign swapped", PlacementProperties.cases().flatMap(
                c -> PlacementProperties.alignedCalls().map(a -> new Object[] {c, a})), x -> {
                    PlacementProperties.Case c = (PlacementProperties.Case) x[0];
                    long[] a = (long[]) x[1];
                    return PlacementProperties.alignedCongruent(bug, c.space(), a[0], a[1], a[2], a[3]);
                });
    }
}
