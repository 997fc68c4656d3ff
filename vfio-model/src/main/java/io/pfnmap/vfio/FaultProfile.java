package io.pfnmap.vfio;

import com.google.common.collect.ImmutableMap;

/**
 * What touching every page of a VFIO-PCI mapping costs ({@link io.pfnmap.vfio.core.VfioProfile}):
 * the faults, the leaves they insert by size, and the calls of {@code vfio_pci_mmap_huge_fault} by
 * order, the ones that fall back included (order 0 is {@code vfio_pci_mmap_page_fault}'s call).
 *
 * @param faults          page faults taken (one leaf each)
 * @param leaves          leaf size in bytes -> leaves inserted, largest first
 * @param hugeFaultCalls  order ({@code log2(size / PAGE_SIZE)}) -> handler calls, largest first
 */
public record FaultProfile(long faults, ImmutableMap<Long, Long> leaves, ImmutableMap<Integer, Long> hugeFaultCalls) {

    /** The profile of per-leaf {@code counts} and {@code calls} over {@code sizes} (descending). */
    static FaultProfile of(long[] sizes, long pageSize, long[] counts, long[] calls, long faults) {
        ImmutableMap.Builder<Long, Long> leaves = ImmutableMap.builder();
        ImmutableMap.Builder<Integer, Long> byOrder = ImmutableMap.builder();
        for (int i = 0; i < sizes.length; i++) {
            leaves.put(sizes[i], counts[i]);
            byOrder.put(Long.numberOfTrailingZeros(sizes[i]) - Long.numberOfTrailingZeros(pageSize), calls[i]);
        }
        return new FaultProfile(faults, leaves.build(), byOrder.build());
    }
}
