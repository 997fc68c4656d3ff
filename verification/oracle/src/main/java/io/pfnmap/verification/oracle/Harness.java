package io.pfnmap.verification.oracle;

import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.VaAlign;
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
            hex(b, file, q.addr(), q.len(), q.pgoff(), q.flags(), q.file().maxSize());
        } else if (r instanceof Request.UnmappedArea u) {
            b.append('U');
            space(b, u.space());
            hex(b, u.topdown() ? 1 : 0, u.length(), u.lowLimit(), u.highLimit(), u.alignMask(), u.alignOffset(),
                    u.startGap());
        } else if (r instanceof Request.Aligned a) {
            b.append('A');
            space(b, a.space());
            hex(b, a.addr(), a.len(), a.off(), a.flags(), a.size());
        } else {
            throw new IllegalArgumentException("no flat form for " + r.getClass().getSimpleName());
        }
        vaAlign(b, r.space());
        return b.toString();
    }

    /**
     * AMD family 15h's {@code va_align}, only when the request has {@code mm.va_align}: a trailing
     * group {@code v <va_align.mask> <va_align.bits> <va_align.flags> <pf_randomize>} after the op's
     * fields (the flags as {@code align_va_addr=} leaves them: 1 ALIGN_VA_32, 2 ALIGN_VA_64); a
     * line without it is not an F15h ({@code va_align.flags} -1), so every other line is as before.
     */
    private static void vaAlign(StringBuilder b, AddressSpace as) {
        VaAlign v = as.config().vaAlign();
        if (!v.equals(VaAlign.OFF)) {
            b.append(" v");
            hex(b, v.mask(), v.bits(), v.alignVaAddr(), v.pfRandomize() ? 1 : 0);
        }
    }

    private static void space(StringBuilder b, AddressSpace as) {
        MmConfig c = as.config();
        hex(b, c.arch() == Search.Kind.X86_64 ? 0 : 1, c.pageSize(), c.pmdSize(), c.taskSize(), c.taskSizeMax(),
                c.defaultMapWindow(), c.mmapBase(), c.legacyBase(), c.mmapMinAddr(), c.dacMmapMinAddr(),
                c.stackGuardGap(), c.topdown() ? 1 : 0, c.thp() ? 1 : 0, c.capSysRawio() ? 1 : 0, c.shmemHugeSize(),
                as.vmas().size());
        for (Vma v : as.vmas()) {
            int f = (v.flags().contains(VmaFlag.GROWSDOWN) ? 1 : 0) + (v.flags().contains(VmaFlag.GROWSUP) ? 2 : 0)
                    + (v.flags().contains(VmaFlag.SHADOW_STACK) ? 4 : 0);
            hex(b, v.start(), v.end(), f);
        }
    }

    /** Each value as a field: a space, then lower-case hex (the order is the C driver's). */
    private static void hex(StringBuilder b, long... vs) {
        for (long v : vs) {
            b.append(' ').append(Long.toHexString(v));
        }
    }
}
