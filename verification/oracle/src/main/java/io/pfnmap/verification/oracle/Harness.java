package io.pfnmap.verification.oracle;

import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.VmaFlag;
import io.pfnmap.arch.Search;

/**
 * The differential harness's flat line format (docs/oracle.md "Harness"), read by
 * verification/conformance/src/test/c/harness/driver.c: a decoded protocol request written as hex fields, so
 * the C side needs no JSON parser. Only {@code mmap} of anonymous memory and regular files and
 * {@code unmapped_area} have a flat form (the C stand-in has no VFIO designs).
 */
public final class Harness {
    private Harness() {
    }

    /**
     * Whether {@code r} has a flat form: the C driver knows anonymous memory, THP-hook files and
     * files without a hook; a shmem file or /dev/zero has none (it would be read as a plain file).
     */
    public static boolean flattens(Request r) {
        if (r instanceof Request.Mmap m) {
            FileKind k = m.request().file();
            return k == FileKind.ANON || k == FileKind.THP_FILE || k == FileKind.PLAIN_FILE
                    || k == FileKind.PLAIN_DEVICE;
        }
        return r instanceof Request.UnmappedArea || r instanceof Request.Aligned;
    }

    /** The flat line of a request (no newline). */
    public static String flat(Request r) {
        StringBuilder b = new StringBuilder(256);
        if (r instanceof Request.Mmap m) {
            b.append('M');
            space(b, m.space());
            MmapRequest q = m.request();
            int file = q.file() == FileKind.ANON ? 0 : q.file() == FileKind.THP_FILE ? 1 : 2;
            hex(b, file);
            hex(b, q.addr());
            hex(b, q.len());
            hex(b, q.pgoff());
            hex(b, q.flags());
            hex(b, q.file().maxSize());
        } else if (r instanceof Request.UnmappedArea u) {
            b.append('U');
            space(b, u.space());
            hex(b, u.topdown() ? 1 : 0);
            hex(b, u.length());
            hex(b, u.lowLimit());
            hex(b, u.highLimit());
            hex(b, u.alignMask());
            hex(b, u.alignOffset());
            hex(b, u.startGap());
        } else if (r instanceof Request.Aligned a) {
            b.append('A');
            space(b, a.space());
            hex(b, a.addr());
            hex(b, a.len());
            hex(b, a.off());
            hex(b, a.flags());
            hex(b, a.size());
        } else {
            throw new IllegalArgumentException("no flat form for " + r.getClass().getSimpleName());
        }
        return b.toString();
    }

    private static void space(StringBuilder b, AddressSpace as) {
        MmConfig c = as.config();
        hex(b, c.arch() == Search.Kind.X86_64 ? 0 : 1);
        hex(b, c.pageSize());
        hex(b, c.pmdSize());
        hex(b, c.taskSize());
        hex(b, c.taskSizeMax());
        hex(b, c.defaultMapWindow());
        hex(b, c.mmapBase());
        hex(b, c.legacyBase());
        hex(b, c.mmapMinAddr());
        hex(b, c.dacMmapMinAddr());
        hex(b, c.stackGuardGap());
        hex(b, c.topdown() ? 1 : 0);
        hex(b, c.thp() ? 1 : 0);
        hex(b, c.capSysRawio() ? 1 : 0);
        hex(b, c.shmemHugeSize());
        hex(b, as.vmas().size());
        for (Vma v : as.vmas()) {
            hex(b, v.start());
            hex(b, v.end());
            int f = (v.flags().contains(VmaFlag.GROWSDOWN) ? 1 : 0) + (v.flags().contains(VmaFlag.GROWSUP) ? 2 : 0)
                    + (v.flags().contains(VmaFlag.SHADOW_STACK) ? 4 : 0);
            hex(b, f);
        }
    }

    private static void hex(StringBuilder b, long v) {
        b.append(' ').append(Long.toHexString(v));
    }
}
