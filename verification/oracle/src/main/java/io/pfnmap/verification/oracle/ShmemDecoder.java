package io.pfnmap.verification.oracle;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.core.ShmemHuge;

/**
 * Decodes the shmem members: {@code "mm": {"shmem_enabled": ...}} (the top-level knob) and
 * {@code "file": {"shmem": {"huge", "i_size"}}} (a tmpfs or memfd file, whose hook is
 * {@code shmem_get_unmapped_area}).
 */
final class ShmemDecoder {
    private ShmemDecoder() {
    }

    /** The values of a mount's {@code huge=} (mm/shmem.c {@code shmem_param_enums_huge}). */
    static final ImmutableMap<String, Integer> MOUNT_HUGE = ImmutableMap.of(
            "never", ShmemHuge.SHMEM_HUGE_NEVER, "always", ShmemHuge.SHMEM_HUGE_ALWAYS,
            "within_size", ShmemHuge.SHMEM_HUGE_WITHIN_SIZE, "advise", ShmemHuge.SHMEM_HUGE_ADVISE);

    /** The values of /sys/kernel/mm/transparent_hugepage/shmem_enabled ({@code shmem_parse_huge}). */
    static final ImmutableMap<String, Integer> SHMEM_ENABLED = ImmutableMap.<String, Integer>builder()
            .putAll(MOUNT_HUGE).put("deny", ShmemHuge.SHMEM_HUGE_DENY).put("force", ShmemHuge.SHMEM_HUGE_FORCE)
            .build();

    static final ImmutableSet<String> FILE_MEMBERS = ImmutableSet.of("huge", "i_size");

    /** The largest i_size: MAX_LFS_FILESIZE, a loff_t. */
    static final long MAX_I_SIZE = Long.MAX_VALUE;

    /** {@code mm.shmem_enabled}, or null when absent. */
    static Integer shmemEnabled(Fields mm) {
        Node v = mm.get("shmem_enabled");
        if (v == null) {
            return null;
        }
        String s = mm.string(v, "shmem_enabled");
        Integer k = SHMEM_ENABLED.get(s);
        if (k == null) {
            throw mm.invalid("shmem_enabled", "must be one of " + String.join(", ", SHMEM_ENABLED.keySet())
                    + " (/sys/kernel/mm/transparent_hugepage/shmem_enabled), got " + Fields.quote(s));
        }
        return k;
    }

    /**
     * The file kind of {@code "file": {"shmem": {...}}} under {@code config}'s {@code shmem_enabled}:
     * {@code huge} is the mount's {@code huge=} (default never; for a memfd, the kernel's internal
     * mount, whose value is the last of never, always, within_size, advise written to
     * shmem_enabled); {@code i_size} (default 0, at most MAX_LFS_FILESIZE) is read and checked but
     * does not change the placement: shmem_get_unmapped_area does not read it.
     */
    static FileKind file(Fields top, Node filev, MmConfig config) {
        Fields file = top.object(filev, "file");
        Fields so = file.object(filev.item(0), "shmem");
        so.onlyKnown(FILE_MEMBERS, "unknown member; known: ");
        int huge = ShmemHuge.SHMEM_HUGE_NEVER;
        Node hv = so.get("huge");
        if (hv != null) {
            String h = so.string(hv, "huge");
            Integer v = MOUNT_HUGE.get(h);
            if (v == null) {
                throw so.invalid("huge", "must be a tmpfs mount's huge=: one of "
                        + String.join(", ", MOUNT_HUGE.keySet()) + (SHMEM_ENABLED.containsKey(h)
                        ? " (deny and force are values of shmem_enabled only: send them as mm.shmem_enabled)" : "")
                        + ", got " + Fields.quote(h));
            }
            huge = v;
        }
        long iSize = so.u64("i_size", 0);
        if (Long.compareUnsigned(iSize, MAX_I_SIZE) > 0) {
            throw so.invalid("i_size", "must be at most MAX_LFS_FILESIZE (0x7fffffffffffffff, i_size is a loff_t), "
                    + "got 0x" + Long.toHexString(iSize));
        }
        return FileKind.shmem(config.shmemEnabled(), huge, config.pmdSize());
    }
}
