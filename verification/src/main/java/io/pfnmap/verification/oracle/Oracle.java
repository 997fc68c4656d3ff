package io.pfnmap.verification.oracle;

import io.pfnmap.mm.AlignedTry;
import io.pfnmap.mm.Explanation;
import io.pfnmap.mm.InvalidInputException;
import io.pfnmap.mm.Mmap;
import io.pfnmap.mm.Placement;
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
            if (r instanceof Request.Mmap m && m.explain()) {
                Explanation e = Explanation.of(m.space(), m.request());
                w.answer(id, e.result(), e, null);
            } else if (r instanceof Request.VfioMmap v && v.explain()) {
                VfioExplanation e = VfioExplanation.of(v.space(), v.arch(), v.device(), v.policy(), v.request());
                w.answer(id, e.search().result(), e.search(), e);
            } else if (r instanceof Request.Aligned a && a.explain()) {
                AlignedTry t = AlignedTry.of(a.space(), a.addr(), a.len(), a.off(), a.flags(), a.size());
                Explanation e = new Explanation("mm_get_unmapped_area_aligned at " + io.pfnmap.mm.Hex.of(a.size()),
                        a.addr(), com.google.common.collect.ImmutableList.of(t), new Placement(t.answer()));
                w.answer(id, e.result(), e, null);
            } else if (r instanceof Request.Fault f) {
                w.fault(id, faultSize(f), f.space().config().pageSize());
            } else {
                w.answer(id, evaluate(r), null, null);
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
