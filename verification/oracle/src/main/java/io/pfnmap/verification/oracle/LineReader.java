package io.pfnmap.verification.oracle;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines at {@code '\n'} without decoding it, with a cap on a line's
 * length: a longer line is skipped (never buffered whole) and reported as {@link #TOO_LONG}. A
 * last line without a newline still counts; a stream ending in {@code '\n'} has no extra empty
 * line. Before any read that may block, {@code beforeRead} runs: the server flushes its answers
 * there, so a client that writes one line and waits gets its answer, and a batch is written in
 * large blocks.
 */
public final class LineReader {
    /** {@link #next()}: a line is in {@link #buffer()}{@code [start(), end())}. */
    public static final int LINE = 1;
    /** {@link #next()}: a line longer than the cap was skipped. */
    public static final int TOO_LONG = 2;
    /** {@link #next()}: no more lines. */
    public static final int EOF = 0;

    private static final int CHUNK = 1 << 16;

    private final InputStream in;
    private final int maxLine;
    private final Runnable beforeRead;
    private byte[] buf = new byte[CHUNK];
    private int pos;
    private int lim;
    private int scanned;
    private boolean eof;
    private int lineStart;
    private int lineEnd;

    /**
     * @param maxLine    the longest line accepted, in bytes, not counting the {@code '\n'}
     * @param beforeRead run before each read from {@code in}
     */
    public LineReader(InputStream in, int maxLine, Runnable beforeRead) {
        this.in = in;
        this.maxLine = maxLine;
        this.beforeRead = beforeRead;
    }

    public byte[] buffer() {
        return buf;
    }

    public int start() {
        return lineStart;
    }

    public int end() {
        return lineEnd;
    }

    /** The next line: {@link #LINE}, {@link #TOO_LONG} or {@link #EOF}. */
    public int next() throws IOException {
        while (true) {
            for (int i = scanned; i < lim; i++) {
                if (buf[i] == '\n') {
                    lineStart = pos;
                    lineEnd = i;
                    pos = i + 1;
                    scanned = pos;
                    // the newline may arrive in the same read as the excess: the limit still holds
                    return lineEnd - lineStart > maxLine ? TOO_LONG : LINE;
                }
            }
            scanned = lim;
            if (lim - pos > maxLine) {
                return skipRest();
            }
            if (eof) {
                if (pos < lim) {
                    lineStart = pos;
                    lineEnd = lim;
                    pos = lim;
                    scanned = lim;
                    return lineEnd - lineStart > maxLine ? TOO_LONG : LINE;
                }
                return EOF;
            }
            fill();
        }
    }

    /** Drops the rest of an over-long line, up to and including its newline. */
    private int skipRest() throws IOException {
        while (true) {
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    pos = i + 1;
                    scanned = pos;
                    return TOO_LONG;
                }
            }
            pos = lim;
            scanned = lim;
            if (eof) {
                return TOO_LONG;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            scanned -= pos;
            pos = 0;
        }
        if (lim == buf.length) {
            buf = Arrays.copyOf(buf, Math.min(buf.length * 2, maxLine + 1 + CHUNK));
        }
        beforeRead.run();
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
        } else {
            lim += n;
        }
    }
}
