package io.pfnmap.verification.oracle;

import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.AlignedTry;
import io.pfnmap.mm.Explanation;
import io.pfnmap.mm.InvalidInputException;
import io.pfnmap.mm.Mmap;
import io.pfnmap.mm.Placement;
import io.pfnmap.mm.SpaceEdits;
import io.pfnmap.mm.core.Arith;
import io.pfnmap.vfio.FaultProfile;
import io.pfnmap.vfio.PageTables;
import io.pfnmap.vfio.VfioExplanation;
import io.pfnmap.vfio.VfioMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The oracle: JSON Lines in, exactly one JSON line out per line in, in order (docs/oracle.md). A
 * line that is not a valid request gets an {@code "invalid"} answer and the stream goes on;
 * nothing a client sends stops it or makes it print a stack trace. One instance per stream.
 */
public final class Oracle {
    /** The longest line answered, in bytes without the newline: 1 MiB. */
    public static final int MAX_LINE_BYTES = 1 << 20;
    /** Answers are written to the output in blocks of about this size (and whenever input runs dry). */
    private static final int OUTPUT_BLOCK = 1 << 16;

    private final RequestParser parser = new RequestParser();
    private final AnswerWriter out = new AnswerWriter();

    /** The model's answer to a valid request. */
    public static Placement evaluate(Request r) {
        if (r instanceof Request.Mmap m) {
            return Mmap.doMmap(m.space(), m.request());
        }
        if (r instanceof Request.VfioMmap v) {
            return VfioMapping.mmap(v.space(), v.arch(), v.device(), v.policy(), v.request());
        }
        if (r instanceof Request.Aligned a) {
            return new Placement(Mmap.getUnmappedAreaAligned(a.space(), a.addr(), a.len(), a.off(), a.flags(),
                    a.size()));
        }
        if (r instanceof Request.Fault f) {
            throw new IllegalArgumentException("a fault answers a leaf size: use faultSize");
        }
        if (r instanceof Request.Space || r instanceof Request.Munmap) {
            throw new IllegalArgumentException("a session edit is answered by answerLine, which commits it");
        }
        Request.UnmappedArea u = (Request.UnmappedArea) r;
        return Mmap.vmUnmappedArea(u.space(), u.topdown(), u.length(), u.lowLimit(), u.highLimit(), u.alignMask(),
                u.alignOffset(), u.startGap());
    }

    /** The leaf size a valid fault request gets (vfio-model's {@code VfioMapping.faultSize}). */
    public static long faultSize(Request.Fault f) {
        return VfioMapping.faultSize(f.arch(), f.device(), f.pgoff(), f.vmStart(), f.vmEnd(), f.addr(),
                f.hugeAllowed());
    }

    /** Writes the answer to one line ({@code line[off, end)}, no newline) into {@code w}: one line. */
    public void answerLine(byte[] line, int off, int end, AnswerWriter w) {
        int mark = w.size();
        String id = "null";
        try {
            Request r = parser.parse(line, off, end);
            id = r.id();
            Sessions sessions = parser.sessions();
            // each edit of a session space is committed last, once its answer is written whole
            if (r instanceof Request.Space s) {
                w.space(id, s.name(), s.space() == null ? -1 : s.space().vmas().size());
                sessions.commit(s);
            } else if (r instanceof Request.Munmap u) {
                SpaceEdits.Unmapped done = SpaceEdits.munmap(u.space(), u.addr(), u.len());
                w.answer(id, done.result(), null, null);
                sessions.replace(u.name(), done.space(), unmapped(sessions.tablesOf(u.space()), done, u.addr(), u.len()));
            } else if (r instanceof Request.Mmap m && m.explain()) {
                Explanation e = Explanation.of(m.space(), m.request());
                long mapped = Mmap.mappedLength(m.space(), m.request());
                AddressSpace after = applied(m.apply(), m.space(), e.result(), mapped);
                w.answer(id, e.result(), e, null);
                commit(sessions, m.apply(), after, replaced(sessions.tablesOf(m.space()), m.space(), e.result(),
                        mapped));
            } else if (r instanceof Request.VfioMmap v && v.explain()) {
                VfioExplanation e = VfioExplanation.of(v.space(), v.arch(), v.device(), v.policy(), v.request());
                AddressSpace after = applied(v.apply(), v.space(), e.search().result(), v.request().len());
                PageTables tables = replaced(sessions.tablesOf(v.space()), v.space(), e.search().result(),
                        v.request().len());
                w.answer(id, e.search().result(), e.search(), e, profile(v, e.search().result(), tables));
                commit(sessions, v.apply(), after, touched(v, e.search().result(), tables));
            } else if (r instanceof Request.Aligned a && a.explain()) {
                AlignedTry t = AlignedTry.of(a.space(), a.addr(), a.len(), a.off(), a.flags(), a.size());
                Explanation e = new Explanation("mm_get_unmapped_area_aligned at " + io.pfnmap.mm.Hex.of(a.size()),
                        a.addr(), com.google.common.collect.ImmutableList.of(t), new Placement(t.answer()));
                w.answer(id, e.result(), e, null);
            } else if (r instanceof Request.Fault f) {
                w.fault(id, faultSize(f), f.space().config().pageSize());
            } else {
                Placement p = evaluate(r);
                AddressSpace after = null;
                String apply = null;
                FaultProfile profile = null;
                PageTables tables = null;
                if (r instanceof Request.Mmap m) {
                    apply = m.apply();
                    long mapped = Mmap.mappedLength(m.space(), m.request());
                    after = applied(apply, m.space(), p, mapped);
                    tables = replaced(sessions.tablesOf(m.space()), m.space(), p, mapped);
                } else if (r instanceof Request.VfioMmap v) {
                    apply = v.apply();
                    after = applied(apply, v.space(), p, v.request().len());
                    tables = replaced(sessions.tablesOf(v.space()), v.space(), p, v.request().len());
                    profile = profile(v, p, tables);
                    tables = touched(v, p, tables);
                }
                w.answer(id, p, null, null, profile);
                if (r instanceof Request.Mmap || r instanceof Request.VfioMmap) {
                    commit(sessions, apply, after, tables);
                } else {
                    commit(sessions, apply, after);
                }
            }
        } catch (InvalidRequestException e) {
            w.truncate(mark);
            w.invalid(e.id(), e.invalid());
        } catch (InvalidInputException e) {
            w.truncate(mark);
            w.invalid(id, e.field() + ": " + e.rule());
        } catch (RuntimeException | StackOverflowError e) {
            w.truncate(mark);
            String known = parser.lastId();
            w.internalError(known != null ? known : id, String.valueOf(e));
        }
    }

    /**
     * The fault profile of a placed VFIO mapping when the request asks for it ({@code "profile"}),
     * walked in {@code "touch"} order if given, else counted; null otherwise or when the mmap failed.
     */
    private static FaultProfile profile(Request.VfioMmap v, Placement p, PageTables tables) {
        if (!v.profile() || p.isError()) {
            return null;
        }
        long start = p.address();
        long end = start + Arith.alignUp(v.request().len(), v.arch().pageSize());
        PageTables t = tablesFor(v, tables);
        return v.touch() == null ? VfioMapping.profile(v.arch(), v.device(), v.request().pgoff(), start, end, true, t)
                : VfioMapping.touch(v.arch(), v.device(), v.request().pgoff(), start, end, true, v.touch(), v.seed(), t);
    }

    /**
     * A session's page tables for a VFIO request: empty when none are recorded; refused when they
     * were built with other pfnmap leaf sizes (a space's VFIO requests name one configuration).
     */
    private static PageTables tablesFor(Request.VfioMmap v, PageTables tables) {
        PageTables empty = PageTables.empty(v.arch());
        if (tables == null) {
            return empty;
        }
        if (tables.populated().length != empty.populated().length) {
            throw new InvalidInputException("profile", "the space's page tables hold entries of "
                    + tables.populated().length + " leaf sizes, this request's configuration has "
                    + empty.populated().length + " (huge_pfnmap differs from the profiled mappings before it)");
        }
        return tables;
    }

    /**
     * The page tables after a profiled VFIO mmap that was applied: every page of the new mapping was
     * touched ({@link PageTables#touched}); unchanged without a profile, apply, or a placement.
     */
    private static PageTables touched(Request.VfioMmap v, Placement p, PageTables tables) {
        if (v.apply() == null || !v.profile() || p.isError()) {
            return tables;
        }
        return tablesFor(v, tables).touched(p.address(), p.address() + Arith.alignUp(v.request().len(),
                v.arch().pageSize()));
    }

    /**
     * The page tables after a munmap ({@link PageTables#unmapped}): the hole's floor is the end of the
     * last VMA below it, its ceiling the start of the first above it (0: none), in the space after.
     */
    private static PageTables unmapped(PageTables tables, SpaceEdits.Unmapped done, long addr, long len) {
        if (tables == null || done.result().isError()) {
            return tables;
        }
        long end = addr + Arith.alignUp(len, done.space().config().pageSize());
        long floor = 0;
        long ceiling = 0;
        for (io.pfnmap.mm.Vma vma : done.space().vmas()) {
            if (Long.compareUnsigned(vma.end(), addr) <= 0) {
                floor = vma.end();
            } else if (ceiling == 0 && Long.compareUnsigned(vma.start(), end) >= 0) {
                ceiling = vma.start();
            }
        }
        return tables.unmapped(addr, end, floor, ceiling);
    }

    /**
     * The page tables before an mmap placed at {@code p} starts faulting: a placement over mapped
     * pages (MAP_FIXED) first unmaps them, and {@code mmap_region} frees their tables as munmap
     * would, between the VMAs around the replaced range ({@code vms_clear_ptes}, mm/vma.c).
     */
    private static PageTables replaced(PageTables tables, AddressSpace space, Placement p, long len) {
        if (tables == null || p.isError()) {
            return tables;
        }
        long alen = Arith.alignUp(len, space.config().pageSize());
        boolean overlaps = false;
        for (io.pfnmap.mm.Vma vma : space.vmas()) {
            overlaps |= Long.compareUnsigned(vma.start(), p.address() + alen) < 0
                    && Long.compareUnsigned(vma.end(), p.address()) > 0;
        }
        return overlaps ? unmapped(tables, SpaceEdits.munmap(space, p.address(), alen), p.address(), alen) : tables;
    }

    /**
     * The space after an mmap with {@code "apply"} placed at {@code p} (null without apply, or when
     * the mmap failed: a failed mmap changes nothing).
     */
    private static AddressSpace applied(String apply, AddressSpace space, Placement p, long len) {
        if (apply == null || p.isError()) {
            return null;
        }
        try {
            return SpaceEdits.mapped(space, p.address(), len);
        } catch (InvalidInputException e) {
            // only with an mm.task_size above task_size_max, which no kernel has: a VMA past the space's bound
            throw new InvalidInputException("apply", "the placed range cannot be added: " + e.rule());
        }
    }

    private static void commit(Sessions sessions, String name, AddressSpace after) {
        if (after != null) {
            sessions.replace(name, after);
        }
    }

    private static void commit(Sessions sessions, String name, AddressSpace after, PageTables tables) {
        if (after != null) {
            sessions.replace(name, after, tables);
        }
    }

    /** The answer line to one request line, without the newline (for tests and tools). */
    public String answer(String line) {
        AnswerWriter w = new AnswerWriter();
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        answerLine(b, 0, b.length, w);
        String s = w.toString();
        return s.substring(0, s.length() - 1);
    }

    /** Answers every line of {@code in} on {@code out}, flushing whenever the input runs dry. */
    public void serve(InputStream in, OutputStream sink) throws IOException {
        out.reset();
        LineReader lines = new LineReader(in, MAX_LINE_BYTES, () -> flush(sink));
        try {
            while (true) {
                int kind = lines.next();
                if (kind == LineReader.EOF) {
                    break;
                }
                if (kind == LineReader.TOO_LONG) {
                    out.invalid("null", "line: longer than " + MAX_LINE_BYTES + " bytes");
                } else {
                    answerLine(lines.buffer(), lines.start(), lines.end(), out);
                }
                if (out.size() >= OUTPUT_BLOCK) {
                    out.writeTo(sink);
                    out.reset();
                }
            }
            flush(sink);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void flush(OutputStream sink) {
        try {
            if (out.size() > 0) {
                out.writeTo(sink);
                out.reset();
            }
            sink.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
