package io.pfnmap.vfio;

import com.google.common.collect.ImmutableMap;
import io.pfnmap.mm.Placement;

/**
 * What one VFIO-PCI mmap gets under one design.
 *
 * @param policy      the design
 * @param result      the address or errno the mmap returns
 * @param plain       what the plain search (policy none) returns for the same request
 * @param leaves      leaf size -> how many leaves map the whole mapping when every page is touched
 * @param faults      how many faults that takes (one leaf per fault)
 * @param padding     address space the design spends beside the mapping: the distance from the
 *                    plain placement for in-kernel designs, the unused reservation for QEMU
 * @param profile     the fault profile (leaves, faults, handler calls by order), null when the mmap failed
 */
public record VfioOutcome(VfioPolicy policy, Placement result, Placement plain, ImmutableMap<Long, Long> leaves,
        long faults, long padding, FaultProfile profile) {

    /** Best-effort violated: this design failed where the plain search succeeded. */
    public boolean failedWherePlainSucceeds() {
        return result.isError() && !plain.isError();
    }

    /** How many leaves of {@code size}. */
    public long leavesOf(long size) {
        return leaves.getOrDefault(size, 0L);
    }
}
