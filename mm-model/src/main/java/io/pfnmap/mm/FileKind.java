package io.pfnmap.mm;

import io.pfnmap.mm.core.DoMmap;
import io.pfnmap.mm.core.GetUnmappedArea;
import io.pfnmap.mm.core.ShmemHuge;

/** What is being mapped, as far as placement cares. */
public enum FileKind {
    /** Anonymous memory (private or shared). */
    ANON(GetUnmappedArea.FILE_ANON, 0),
    /** A regular file whose hook is {@code thp_get_unmapped_area} (ext4, xfs, ...). */
    THP_FILE(GetUnmappedArea.FILE_THP, DoMmap.MAX_LFS_FILESIZE),
    /** A regular file without a hook of its own. */
    PLAIN_FILE(GetUnmappedArea.FILE_PLAIN, DoMmap.MAX_LFS_FILESIZE),
    /** A character device without a hook (a VFIO device file in 6.18): max size ULONG_MAX. */
    PLAIN_DEVICE(GetUnmappedArea.FILE_PLAIN, -1L),
    /**
     * A shmem file (tmpfs, memfd; hook {@code shmem_get_unmapped_area}) that shmem does not align:
     * its mount's {@code huge=} is never, or {@code shmem_enabled} is deny.
     */
    SHMEM(GetUnmappedArea.FILE_SHMEM, DoMmap.MAX_LFS_FILESIZE),
    /** A shmem file that {@code shmem_get_unmapped_area} aligns to PMD_SIZE ({@code ShmemHuge.fileHugeSize}). */
    SHMEM_HUGE(GetUnmappedArea.FILE_SHMEM_HUGE, DoMmap.MAX_LFS_FILESIZE),
    /**
     * /dev/zero: shared, shmem without a file but with the pgoff; private, the THP hook with the
     * file; a character device without FMODE_UNSIGNED_OFFSET, max size ULONG_MAX.
     */
    DEV_ZERO(GetUnmappedArea.FILE_DEV_ZERO, -1L),
    /**
     * A hugetlbfs file (hook {@code hugetlb_get_unmapped_area}): its huge page size is the
     * request's {@link MmapRequest#hugePageSize}; a regular file, max size MAX_LFS_FILESIZE.
     */
    HUGETLBFS(GetUnmappedArea.FILE_HUGETLB, DoMmap.MAX_LFS_FILESIZE);

    private final int core;
    private final long maxSize;

    FileKind(int core, long maxSize) {
        this.core = core;
        this.maxSize = maxSize;
    }

    int core() {
        return core;
    }

    /**
     * The shmem file kind for a mount whose {@code huge=} is {@code mountHuge} under the knob
     * {@code shmemEnabled} (both {@code ShmemHuge.SHMEM_HUGE_*}).
     */
    public static FileKind shmem(int shmemEnabled, int mountHuge, long pmdSize) {
        return ShmemHuge.fileHugeSize(shmemEnabled, mountHuge, pmdSize) != 0 ? SHMEM_HUGE : SHMEM;
    }

    /** {@code file_mmap_size_max} of such a file. */
    public long maxSize() {
        return maxSize;
    }
}
