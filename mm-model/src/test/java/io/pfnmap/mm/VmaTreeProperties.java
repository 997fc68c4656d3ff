package io.pfnmap.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.mm.core.VmaTree;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@code find_vma} and {@code find_vma_intersection} (mm/mmap.c) against a scan of every VMA, with
 * the u64 edges of both ends: {@code end == 0} is the range up to 2^64, which the kernel's
 * {@code mt_find(..., end - 1)} searches to the top.
 */
class VmaTreeProperties {

    @Provide
    Arbitrary<Long> addresses() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 0x7fffffffffffL).map(a -> a & ~0xfffL),
                Arbitraries.longs(), Arbitraries.of(0L, 1L, -1L, 0x1000L, -0x1000L, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    /** The first VMA ending above {@code addr}, by a scan: what find_vma returns. */
    static int scanFindVma(MmState mm, long addr) {
        for (int i = 0; i < mm.vmEnd.length; i++) {
            if (Long.compareUnsigned(mm.vmEnd[i], addr) > 0) {
                return i;
            }
        }
        return -1;
    }

    /** The first VMA meeting {@code [start, end - 1]}, by a scan, or -1 when end - 1 < start (unsigned). */
    static int scanIntersection(MmState mm, long start, long end) {
        long last = end - 1;
        if (Long.compareUnsigned(start, last) > 0) {
            return -1;
        }
        for (int i = 0; i < mm.vmEnd.length; i++) {
            if (Long.compareUnsigned(mm.vmEnd[i], start) > 0 && Long.compareUnsigned(mm.vmStart[i], last) <= 0) {
                return i;
            }
        }
        return -1;
    }

    @Property(tries = 3000)
    void findVmaIsTheFirstVmaEndingAbove(@ForAll("spaces") AddressSpace as, @ForAll("addresses") long addr) {
        assertEquals(scanFindVma(as.state(), addr), VmaTree.findVma(as.state(), addr));
    }

    @Property(tries = 3000)
    void findVmaIntersectionIsTheFirstVmaMeetingTheRange(@ForAll("spaces") AddressSpace as,
            @ForAll("addresses") long start, @ForAll("addresses") long end) {
        MmState mm = as.state();
        int r = VmaTree.findVmaIntersection(mm, start, end);
        assertEquals(scanIntersection(mm, start, end), r);
        if (r >= 0) {
            // The contract as proved: the VMA ends above start and starts at or below end - 1.
            assertTrue(Arith.ugt(mm.vmEnd[r], start) && Arith.ule(mm.vmStart[r], end - 1));
        }
    }

    @Provide
    Arbitrary<AddressSpace> spaces() {
        return Spaces.spaces();
    }

    /**
     * Seeded wrong variant: the contract find_vma_intersection had until 6 December 2026 promised
     * {@code vm_start < end} (unsigned), which is false for {@code end == 0}, the range up to
     * 2^64, where the kernel (and the model) find any VMA ending above {@code start}.
     */
    @Test
    void theOldPostconditionFailsAtTheTopOfTheAddressSpace() {
        AddressSpace as = AddressSpace.of(MmConfig.x86_64(), List.of(Vma.of(0x7f0000000000L, 0x7f0000001000L)));
        MmState mm = as.state();
        int r = VmaTree.findVmaIntersection(mm, 0x1000L, 0L);
        assertEquals(0, r, "[0x1000, 2^64) meets the VMA");
        assertFalse(Arith.ult(mm.vmStart[r], 0L), "the old post, vm_start < end, is false here");
        assertTrue(Arith.ule(mm.vmStart[r], -1L), "the new post, vm_start <= end - 1, holds");
    }
}
