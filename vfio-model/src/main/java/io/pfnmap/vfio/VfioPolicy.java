package io.pfnmap.vfio;

import io.pfnmap.vfio.core.VfioDesigns;
import java.util.Optional;

/** The designs a VFIO-PCI BAR mapping can be placed under (kernel-facts part 3). */
public enum VfioPolicy {
    NONE(VfioDesigns.NONE, "mainline 6.18: no hook, plain search"),
    V1(VfioDesigns.V1, "June 2025 v1: driver hook, PUD then PMD, congruent to the BAR's physical address"),
    ORDER_HINT(VfioDesigns.ORDER_HINT, "seed: file order hint, largest arch leaf not above it, then smaller"),
    V2(VfioDesigns.V2, "December 2025 v2: get_mapping_order, one aligned try without a hint"),
    THP(VfioDesigns.THP, "June 2026: thp_get_unmapped_area as the device hook (PMD only)"),
    QEMU(VfioDesigns.QEMU, "QEMU 9.2 userspace: reserve size + align, MAP_FIXED inside"),
    DAX(VfioDesigns.DAX, "device-dax precedent: dax_get_unmapped_area as the hook, one size (largest leaf not above "
            + "the BAR), off by any hint, no top-down step"),
    CLOUD_HYPERVISOR(VfioDesigns.CLOUD_HYPERVISOR, "cloud-hypervisor userspace (June 2026): reserve "
            + "len + its next power of two (at most 1 GiB), MAP_FIXED inside; no fallback if the reservation fails");

    private final int core;
    private final String summary;

    VfioPolicy(int core, String summary) {
        this.core = core;
        this.summary = summary;
    }

    public String id() {
        return Ids.of(this);
    }

    public String summary() {
        return summary;
    }

    int core() {
        return core;
    }

    public static Optional<VfioPolicy> byId(String id) {
        return Ids.byId(values(), VfioPolicy::id, id);
    }
}
