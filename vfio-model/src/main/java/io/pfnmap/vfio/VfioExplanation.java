package io.pfnmap.vfio;

import com.google.common.collect.ImmutableList;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.Explanation;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Placement;
import io.pfnmap.mm.core.AlignedHook;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.mm.core.Errno;
import io.pfnmap.mm.core.GetUnmappedArea;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.mm.core.MmState;
import io.pfnmap.vfio.core.OrderHint;
import io.pfnmap.vfio.core.VfioDesigns;
import io.pfnmap.vfio.core.VfioPciOffset;

/**
 * Why a VFIO-PCI mmap landed where it did under a design: the region the pgoff names, what the
 * driver told core mm (the order hint, v1's or v2's sizes), the aligned helper's tries ({@link
 * Explanation}), and for QEMU the reservation. Every value is a core function's
 * ({@link VfioDesigns}, {@link AlignedHook}); the result is {@link VfioMapping#mmap}'s.
 *
 * @param policy      the design
 * @param index       the region index from the pgoff's high bits ({@code VFIO_PCI_OFFSET_TO_INDEX})
 * @param within      the byte offset inside the region
 * @param orderHint   the order the file reports (order-hint design), else -1
 * @param sizes       the leaf sizes the design's search tries, largest first
 * @param reservation the {@code size + align} anonymous reservation of QEMU or cloud-hypervisor (else null)
 * @param qemuAlign   that reservation's alignment (QEMU's or cloud-hypervisor's; else 0)
 * @param search      the search's explanation (for QEMU: the reservation's own mmap)
 */
public record VfioExplanation(VfioPolicy policy, long index, long within, int orderHint,
        ImmutableList<Long> sizes, Placement reservation, long qemuAlign, Explanation search) {

    /** The explanation of {@code r} under {@code policy}; {@link #search()}'s result is the mmap's. */
    public static VfioExplanation of(AddressSpace as, ArchConfig arch, VfioDevice dev, VfioPolicy policy,
            MmapRequest r) {
        MmState mm = as.state();
        long page = mm.pageSize;
        Placement result = VfioMapping.mmap(as, arch, dev, policy, r);
        long index = VfioPciOffset.pgoffToIndex(r.pgoff(), page);
        long within = VfioPciOffset.pgoffWithin(r.pgoff(), page);
        long[] regionSize = dev.coreSizes();
        long barLen = VfioDesigns.regionLength(regionSize, index);
        long len = Arith.alignUp(r.len(), page);
        long pud = VfioMapping.pudSize(arch);
        long off = r.pgoff() * page;
        long hint = Explanation.hintSeen(mm, r.addr(), r.flags());
        int order = -1;
        long[] sizes = new long[0];
        int file = GetUnmappedArea.FILE_ALIGNED_HOOK;
        String search;
        switch (policy) {
            case V1 -> {
                sizes = VfioDesigns.v1Sizes(index, barLen, within, len, page, mm.pmdSize, pud, arch.pmdPfnmap(),
                        arch.pudPfnmap());
                long[] phys = dev.corePhys();
                off = (index < phys.length ? phys[(int) index] : 0) + within;
                search = "v1 driver hook vfio_pci_core_get_unmapped_area (congruent to the BAR's physical address)";
            }
            case ORDER_HINT -> {
                order = VfioDesigns.orderHint(index, barLen, within, page);
                sizes = OrderHint.orderHintSizes(arch.pfnmapLeafSizesDescending(), page, order, len);
                search = "order hint " + order + ": largest arch pfnmap leaf not above it, then smaller";
            }
            case V2 -> {
                long s = VfioDesigns.v2MappingSize(index, barLen, within, len, page, mm.pmdSize, pud,
                        arch.pmdPfnmap(), arch.pudPfnmap());
                sizes = s == page ? new long[0] : new long[] {s};
                file = GetUnmappedArea.FILE_MAPPING_ORDER;
                search = "v2 get_mapping_order: one aligned try";
            }
            case DAX -> {
                long align = io.pfnmap.vfio.core.VfioDax.daxAlign(index, barLen, within, arch.pfnmapLeafSizesDescending());
                sizes = align > page ? new long[] {align} : new long[0];
                file = GetUnmappedArea.FILE_PLAIN; // its own search: no aligned-helper tries to show
                search = "device-dax hook dax_get_unmapped_area at " + io.pfnmap.mm.Hex.of(align)
                        + " (no hint: plain search of len + align, moved up to the offset's residue; else plain)";
            }
            case THP -> {
                sizes = mm.thp ? new long[] {mm.pmdSize} : new long[0];
                search = "device hook thp_get_unmapped_area (PMD only)";
            }
            default -> {
                file = GetUnmappedArea.FILE_PLAIN;
                search = Explanation.plainName(mm) + " (no hook)";
            }
        }
        ImmutableList.Builder<Long> sizeList = ImmutableList.builder();
        for (long s : sizes) {
            sizeList.add(s);
        }
        if (policy == VfioPolicy.QEMU) {
            long align = VfioDesigns.qemuAlign(len);
            MmapRequest reserve = MmapRequest.anon(r.addr(), len + align, MapFlags.MAP_PRIVATE);
            Explanation e = Explanation.of(as, reserve);
            return new VfioExplanation(policy, index, within, order, sizeList.build(),
                    Arith.ult(len + align, len) ? new Placement(Errno.ENOMEM_VALUE) : e.result(), align,
                    new Explanation("qemu: reserve len + " + io.pfnmap.mm.Hex.of(align)
                            + " anonymous (" + e.search() + "), then MAP_FIXED at the first aligned address inside",
                            hint, e.tries(), result));
        }
        if (policy == VfioPolicy.CLOUD_HYPERVISOR && VfioDesigns.chAlign(r.len(), page) != page) {
            long align = VfioDesigns.chAlign(r.len(), page);
            MmapRequest reserve = MmapRequest.anon(r.addr(), r.len() + align, MapFlags.MAP_PRIVATE);
            Explanation e = Explanation.of(as, reserve);
            return new VfioExplanation(policy, index, within, order, sizeList.build(),
                    Arith.ult(r.len() + align, r.len()) ? new Placement(-22L) : e.result(), align,
                    new Explanation("cloud-hypervisor: reserve len + " + io.pfnmap.mm.Hex.of(align)
                            + " anonymous (" + e.search() + "), then MAP_FIXED at the first aligned address inside; "
                            + "no plain mmap if the reservation fails", hint, e.tries(), result));
        }
        int kind = GetUnmappedArea.searchKind(mm, file, hint, len, Explanation.effectiveFlags(r.flags()));
        if (file == GetUnmappedArea.FILE_PLAIN
                || kind != GetUnmappedArea.SEARCH_ALIGNED_HOOK && kind != GetUnmappedArea.SEARCH_MAPPING_ORDER) {
            String name = file == GetUnmappedArea.FILE_PLAIN ? search
                    : search + " not run (needs THP and no hint): " + Explanation.plainName(mm);
            return new VfioExplanation(policy, index, within, order, sizeList.build(), null, 0,
                    Explanation.ofHook(as, r.addr(), r.len(), r.pgoff(), r.flags(), name, new long[0], off, result));
        }
        return new VfioExplanation(policy, index, within, order, sizeList.build(), null, 0,
                Explanation.ofHook(as, r.addr(), r.len(), r.pgoff(), r.flags(), search, sizes, off, result));
    }
}
