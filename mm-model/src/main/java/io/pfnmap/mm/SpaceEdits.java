package io.pfnmap.mm;

import com.google.common.collect.ImmutableSet;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.Errno;

/**
 * What mmap and munmap do to an address space once the address is chosen, for callers that replay
 * a process (the oracle's sessions): the new space, built from {@link VmaRanges}. The VMAs the
 * kernel creates carry none of the flags the search reads (growsdown, growsup, shadow stack), and
 * neither does a range added here.
 *
 * <p>Not modelled: {@code vm.max_map_count} (ENOMEM when a split or a new mapping would pass it;
 * the model does not merge, so its VMA count is not the kernel's), sealed VMAs (mseal, EPERM) and
 * arch_unmap.
 */
public final class SpaceEdits {
    private SpaceEdits() {
    }

    /** What munmap returned (0 or -errno, as {@link Placement}) and the space after it. */
    public record Unmapped(Placement result, AddressSpace space) {
    }

    /**
     * The space after a successful mmap placed at {@code addr}: {@code [addr, addr + PAGE_ALIGN(len))}
     * mapped, replacing whatever it overlaps (only a MAP_FIXED placement overlaps anything).
     * {@code addr} and {@code len} are what do_mmap accepted, so the range lies below TASK_SIZE.
     */
    public static AddressSpace mapped(AddressSpace as, long addr, long len) {
        long end = addr + Arith.alignUp(len, as.config().pageSize());
        return edited(as, VmaRanges.splice(as.vmas(), addr, end, new Vma(addr, end, ImmutableSet.of())));
    }

    /**
     * munmap(2): {@code __vm_munmap} and {@code do_vmi_munmap} (mm/vma.c). EINVAL, leaving the
     * space as it was, for a start that is not page-aligned, above TASK_SIZE, a length reaching
     * past TASK_SIZE from it, or a length of 0; otherwise 0, with {@code [start, start +
     * PAGE_ALIGN(len))} unmapped and the VMAs across its edges split there. A range that meets no
     * VMA succeeds and changes nothing.
     */
    public static Unmapped munmap(AddressSpace as, long start, long len) {
        MmConfig c = as.config();
        long taskSize = c.taskSize();
        // unsigned, as the kernel compares: the second test cannot wrap once the first has passed
        if (start % c.pageSize() != 0 || Long.compareUnsigned(start, taskSize) > 0
                || Long.compareUnsigned(len, taskSize - start) > 0) {
            return new Unmapped(new Placement(Errno.err(Errno.EINVAL)), as);
        }
        // len <= TASK_SIZE - start, so PAGE_ALIGN(len) cannot wrap and end is at most TASK_SIZE
        long end = start + Arith.alignUp(len, c.pageSize());
        if (end == start) {
            return new Unmapped(new Placement(Errno.err(Errno.EINVAL)), as);
        }
        int first = VmaRanges.firstEndingAbove(as.vmas(), start);
        if (first == as.vmas().size() || Long.compareUnsigned(as.vmas().get(first).start(), end) >= 0) {
            return new Unmapped(new Placement(0), as); // vma_find found nothing: 0, nothing changes
        }
        return new Unmapped(new Placement(0), edited(as, VmaRanges.splice(as.vmas(), start, end, null)));
    }

    /**
     * The space after the splice: derived from {@code as} ({@link AddressSpace#spliced}, its gap
     * index updated, not rebuilt), the same VMAs {@link VmaRanges#insert} and {@link
     * VmaRanges#remove} give (SpaceEditsProperties checks both, and the index against one built anew).
     */
    static AddressSpace edited(AddressSpace as, VmaRanges.Splice s) {
        return as.spliced(s.first(), s.removed(), s.added());
    }
}
