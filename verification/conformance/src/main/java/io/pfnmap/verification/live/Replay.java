package io.pfnmap.verification.live;

import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.Mmap;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Placement;

/**
 * Replays recorded calls through the model: the address space the recorder saw, the request it
 * made, and the model's answer beside the kernel's.
 */
public final class Replay {
    private Replay() {
    }

    /** The model's answer for one recorded call under {@code config}, its file an ext4 one (the THP hook). */
    public static Placement predict(MmConfig config, RecordedCall c) {
        return predict(config, c, FileKind.THP_FILE);
    }

    /** The model's answer for one recorded call under {@code config}, its file calls on a file of {@code kind}. */
    public static Placement predict(MmConfig config, RecordedCall c, FileKind kind) {
        AddressSpace as = AddressSpace.of(config, c.vmas());
        // a hugetlbfs file is on a mount of the default hstate
        long hugePage = kind == FileKind.HUGETLBFS ? config.hstates().sizes().get(0) : 0;
        MmapRequest r = c.file() ? new MmapRequest(c.addr(), c.len(), c.pgoff(), c.flags(), kind, hugePage)
                : new MmapRequest(c.addr(), c.len(), c.pgoff(), c.flags(), FileKind.ANON);
        return Mmap.doMmap(as, r);
    }
}
