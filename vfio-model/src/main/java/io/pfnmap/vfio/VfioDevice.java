package io.pfnmap.vfio;

import com.google.common.collect.ImmutableList;
import io.pfnmap.mm.InvalidInputException;
import io.pfnmap.vfio.core.VfioPciOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A VFIO-PCI device as {@code vfio_pci_core_mmap} sees it: its regions, sorted by index. Regions it
 * does not list are absent (length 0, not mmap-able). Device-specific regions are numbered from
 * {@code VFIO_PCI_NUM_REGIONS} (9) without gaps, as {@code vfio_pci_core_register_dev_region}
 * appends them.
 *
 * @param regions  the regions, in any order, no index twice; held sorted by index (immutable)
 */
public record VfioDevice(List<VfioRegion> regions) {
    public VfioDevice {
        if (regions == null) {
            throw new InvalidInputException("regions", "must not be null");
        }
        List<VfioRegion> sorted = new ArrayList<>(regions);
        for (VfioRegion r : sorted) {
            if (r == null) {
                throw new InvalidInputException("regions", "must not hold null");
            }
        }
        sorted.sort(Comparator.comparingInt(VfioRegion::index));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).index() == sorted.get(i - 1).index()) {
                throw new InvalidInputException("regions", "duplicate region index " + sorted.get(i).index());
            }
        }
        int expected = VfioPciOffset.NUM_REGIONS;
        for (VfioRegion r : sorted) {
            if (VfioPciOffset.isDeviceRegion(r.index())) {
                if (r.index() != expected) {
                    throw new InvalidInputException("regions", "device-specific regions are numbered from 9 "
                            + "without gaps: expected index " + expected + ", found " + r.index());
                }
                expected++;
            }
        }
        regions = ImmutableList.copyOf(sorted);
    }

    /** A device with these regions, in any order. */
    public static VfioDevice of(List<VfioRegion> regions) {
        return new VfioDevice(regions);
    }

    /** A device with these regions, in any order. */
    public static VfioDevice of(VfioRegion... regions) {
        return new VfioDevice(regions == null ? null : Arrays.asList(regions));
    }

    /** The region with this index, if the device has it. */
    public Optional<VfioRegion> region(int index) {
        for (VfioRegion r : regions) {
            if (r.index() == index) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** {@code vdev->num_regions}: how many device-specific regions (9 and up) the device has. */
    public int numRegions() {
        int n = 0;
        for (VfioRegion r : regions) {
            if (VfioPciOffset.isDeviceRegion(r.index())) {
                n++;
            }
        }
        return n;
    }

    /** The core's rows, indexed by region index: lengths (0 when absent). */
    long[] coreSizes() {
        long[] sizes = new long[VfioPciOffset.NUM_REGIONS + numRegions()];
        for (VfioRegion r : regions) {
            sizes[r.index()] = r.size();
        }
        return sizes;
    }

    /** The core's rows, indexed by region index: mmap-able (false when absent). */
    boolean[] coreMmap() {
        boolean[] mmap = new boolean[VfioPciOffset.NUM_REGIONS + numRegions()];
        for (VfioRegion r : regions) {
            mmap[r.index()] = r.mmap();
        }
        return mmap;
    }

    /**
     * The core's rows of BAR physical addresses. PCI BARs are naturally aligned; the model places
     * BAR {@code i} at {@code (i + 1) * max(size, 2^40)}, a multiple of its size (only the residue
     * modulo the leaf sizes matters to placement and faults).
     */
    long[] corePhys() {
        long[] phys = new long[VfioPciOffset.NUM_REGIONS + numRegions()];
        for (VfioRegion r : regions) {
            if (r.isBar()) {
                phys[r.index()] = Math.max(r.size(), 1L << 40) * (r.index() + 1);
            }
        }
        return phys;
    }
}
