package io.pfnmap.mm;

import io.pfnmap.mm.core.DoMmap;
import io.pfnmap.mm.core.GetUnmappedArea;

/** What is being mapped, as far as placement cares. */
public enum FileKind {
    /** Anonymous memory (private or shared). */
    ANON(GetUnmappedArea.FILE_ANON, 0),
    /** A regular file whose hook is {@code thp_get_unmapped_area} (ext4, xfs, ...). */
    THP_FILE(GetUnmappedArea.FILE_THP, DoMmap.MAX_LFS_FILESIZE),
    /** A regular file without a hook of its own. */
    PLAIN_FILE(GetUnmappedArea.FILE_PLAIN, DoMmap.MAX_LFS_FILESIZE),
    /** A character device without a hook (a VFIO device file in 6.18): max size ULONG_MAX. */
    PLAIN_DEVICE(GetUnmappedArea.FILE_PLAIN, -1L);

    private final int core;
    private final long maxSize;

    FileKind(int core, long maxSize) {
        this.core = core;
        this.maxSize = maxSize;
    }

    int core() {
        return core;
    }

    /** {@code file_mmap_size_max} of such a file. */
    public long maxSize() {
        return maxSize;
    }
}
