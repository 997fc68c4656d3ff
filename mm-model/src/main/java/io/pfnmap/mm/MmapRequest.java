package io.pfnmap.mm;

import com.google.common.collect.ImmutableList;
import io.pfnmap.mm.core.MapFlags;

/**
 * An {@code mmap(addr, len, prot, flags, fd, pgoff << PAGE_SHIFT)} call as do_mmap sees it.
 *
 * @param addr   the hint or fixed address
 * @param len    the length in bytes, before page rounding
 * @param pgoff  the file offset in pages
 * @param flags  MAP_* flags, kernel values ({@link MapFlags})
 * @param file   what is mapped
 * @param hugePageSize a {@link FileKind#HUGETLBFS} file's huge page size (its mount's {@code
 *               pagesize=}); 0 for every other file
 * @param reserved a {@link FileKind#HUGETLBFS} file's reserve map ({@link ReservedRange#RULE});
 *               empty for every other file
 */
public record MmapRequest(long addr, long len, long pgoff, long flags, FileKind file, long hugePageSize,
        ImmutableList<ReservedRange> reserved) {
    public MmapRequest {
        ReservedRange.Violation v = ReservedRange.violation(reserved);
        if (v != null) {
            throw new InvalidInputException("hugetlbfs.reserved[" + v.index() + "]" + v.part(), v.reason());
        }
        if (file != FileKind.HUGETLBFS && !reserved.isEmpty()) {
            throw new InvalidInputException("hugetlbfs.reserved", "only a hugetlbfs file has a reserve map");
        }
    }

    public MmapRequest(long addr, long len, long pgoff, long flags, FileKind file, long hugePageSize) {
        this(addr, len, pgoff, flags, file, hugePageSize, ImmutableList.of());
    }

    public MmapRequest(long addr, long len, long pgoff, long flags, FileKind file) {
        this(addr, len, pgoff, flags, file, 0);
    }

    /** A mapping of a file on a hugetlbfs mount whose huge page size is {@code hugePageSize}. */
    public static MmapRequest hugetlbfs(long addr, long len, long pgoff, long flags, long hugePageSize) {
        return new MmapRequest(addr, len, pgoff, flags, FileKind.HUGETLBFS, hugePageSize);
    }

    /** The same on a file whose reserve map already holds {@code reserved}. */
    public static MmapRequest hugetlbfs(long addr, long len, long pgoff, long flags, long hugePageSize,
            ImmutableList<ReservedRange> reserved) {
        return new MmapRequest(addr, len, pgoff, flags, FileKind.HUGETLBFS, hugePageSize, reserved);
    }

    public static MmapRequest anon(long addr, long len, long flags) {
        return new MmapRequest(addr, len, 0, flags | MapFlags.MAP_ANONYMOUS, FileKind.ANON);
    }

    public static MmapRequest file(FileKind kind, long addr, long len, long pgoff, long flags) {
        return new MmapRequest(addr, len, pgoff, flags, kind);
    }
}
