package io.pfnmap.verification.oracle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The throughput benchmark behind {@code oracle bench}: protocol lines against a 64-VMA x86_64
 * address space (a program, its heap, 60 libraries and mappings around mmap_base, a stack), every
 * line carrying the whole space as a client would send it, or naming a session space defined on
 * the first line ({@link Mode}), answered in-process by {@link Oracle#serve} from memory into a
 * counting sink.
 */
public final class Bench {
    private Bench() {
    }

    /** The number of VMAs of the benchmark's address space. */
    public static final int VMAS = 64;

    /** How the lines give the space. */
    public enum Mode {
        /** Every line carries the same space (byte-identical: the decoder reuses it). */
        CARRIED,
        /** Every line carries a space that differs from the previous line's (the heap's start moves). */
        DISTINCT,
        /** The first line defines session space "b"; every other line names it (the same requests as CARRIED). */
        SESSION,
        /**
         * A replay through session space "b": one line in four a MAP_FIXED mmap with {@code apply} at
         * a random free address, the next the munmap of it, so the space changes on every such line.
         */
        REPLAY
    }

    /** The session space's name in {@link Mode#SESSION} and {@link Mode#REPLAY}. */
    static final String SPACE = "b";

    /** Request lines from a seed, one at a time ({@link Mode}). */
    public static final class Generator {
        private final SplittableRandom rnd;
        private final long[][] vmas;
        private final String same;
        private final Mode mode;
        private final StringBuilder b = new StringBuilder(4096);
        private long id;
        private long edit; // REPLAY: the last applied range's start and length
        private long editLen;

        public Generator(long seed, boolean distinctSpaces) {
            this(seed, distinctSpaces ? Mode.DISTINCT : Mode.CARRIED);
        }

        public Generator(long seed, Mode mode) {
            this.rnd = new SplittableRandom(seed);
            this.vmas = space(rnd);
            this.same = vmasJson(vmas, 0);
            this.mode = mode;
        }

        /** The next request line, with its newline. */
        public String next() {
            long i = id++;
            b.setLength(0);
            b.append("{\"id\":").append(i);
            if (mode == Mode.CARRIED || mode == Mode.DISTINCT) {
                b.append(",\"op\":\"mmap\",\"vmas\":").append(mode == Mode.DISTINCT ? vmasJson(vmas, 1 + (int) (i % 32))
                        : same);
            } else if (i == 0) {
                return b.append(",\"op\":\"space\",\"space\":\"" + SPACE + "\",\"vmas\":").append(same).append("}\n")
                        .toString();
            } else if (mode == Mode.REPLAY && i % 4 == 1) {
                // between the heap and the libraries: free in the 64-VMA space, below the searches' reach
                edit = 0x100000000000L + ((long) rnd.nextInt(1 << 20) << 12);
                editLen = (1L + rnd.nextInt(16)) << 12;
                return b.append(",\"op\":\"mmap\",\"space\":\"" + SPACE + "\",\"apply\":true,\"addr\":\"0x")
                        .append(Long.toHexString(edit)).append("\",\"len\":\"0x").append(Long.toHexString(editLen))
                        .append("\",\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\",\"MAP_FIXED\"]}\n").toString();
            } else if (mode == Mode.REPLAY && i % 4 == 2) {
                return b.append(",\"op\":\"munmap\",\"space\":\"" + SPACE + "\",\"addr\":\"0x")
                        .append(Long.toHexString(edit)).append("\",\"len\":\"0x").append(Long.toHexString(editLen))
                        .append("\"}\n").toString();
            } else {
                b.append(",\"op\":\"mmap\",\"space\":\"" + SPACE + "\"");
            }
            int kind = rnd.nextInt(6);
            long len = switch (rnd.nextInt(4)) {
                case 0 -> (1 + rnd.nextInt(16)) << 12;
                case 1 -> (1L + rnd.nextInt(8)) << 21;
                case 2 -> 1L + rnd.nextLong(1L << 32);
                default -> (1L + rnd.nextInt(4)) << 30;
            };
            switch (kind) {
                case 0 -> b.append(",\"file\":\"anon\",\"len\":\"0x").append(Long.toHexString(len))
                        .append("\",\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]");
                case 1 -> b.append(",\"file\":\"anon\",\"addr\":\"0x")
                        .append(Long.toHexString(rnd.nextLong(1L << 47) & ~0xfffL)).append("\",\"len\":\"0x")
                        .append(Long.toHexString(len)).append("\",\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]");
                case 2 -> b.append(",\"file\":\"thp_file\",\"len\":").append(len).append(",\"pgoff\":")
                        .append(rnd.nextInt(1 << 20)).append(",\"flags\":[\"MAP_SHARED\"]");
                case 3 -> b.append(",\"file\":\"device\",\"len\":\"0x").append(Long.toHexString(len))
                        .append("\",\"pgoff\":\"0x").append(Long.toHexString(rnd.nextLong(1L << 40)))
                        .append("\",\"flags\":[\"MAP_SHARED\"]");
                case 4 -> b.append(",\"file\":\"anon\",\"addr\":\"0x")
                        .append(Long.toHexString(vmas[rnd.nextInt(VMAS)][0] + (rnd.nextBoolean() ? 0 : -0x10000L)))
                        .append("\",\"len\":\"0x1000\",\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\",")
                        .append("\"MAP_FIXED_NOREPLACE\"]");
                default -> b.append(",\"file\":\"anon\",\"len\":\"0x").append(Long.toHexString(len))
                        .append("\",\"flags\":[\"MAP_SHARED\",\"MAP_ANONYMOUS\"],\"explain\":")
                        .append(rnd.nextInt(8) == 0);
            }
            return b.append("}\n").toString();
        }
    }

    /** {@code n} request lines from {@code seed}, as one block of bytes. */
    public static byte[] requests(int n, long seed, boolean distinctSpaces) {
        return requests(n, seed, distinctSpaces ? Mode.DISTINCT : Mode.CARRIED);
    }

    /** {@code n} request lines from {@code seed} in {@code mode}, as one block of bytes. */
    public static byte[] requests(int n, long seed, Mode mode) {
        Generator g = new Generator(seed, mode);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            byte[] line = g.next().getBytes(StandardCharsets.US_ASCII);
            out.write(line, 0, line.length);
        }
        return out.toByteArray();
    }

    /** Page-aligned, sorted, disjoint VMAs like a process's: [start, end, growsdown]. */
    private static long[][] space(SplittableRandom rnd) {
        long[][] v = new long[VMAS][];
        v[0] = new long[] {0x555555554000L, 0x555555559000L, 0};
        v[1] = new long[] {0x555555559000L, 0x55555557a000L, 0};
        long top = 0x7ffff7fff000L;
        for (int i = VMAS - 2; i >= 2; i--) {
            long size = (1L + rnd.nextInt(64)) << 12;
            long gap = rnd.nextInt(4) == 0 ? (long) rnd.nextInt(512) << 12 : 0;
            v[i] = new long[] {top - size, top, 0};
            top = top - size - gap;
        }
        v[VMAS - 1] = new long[] {0x7ffffffde000L, 0x7ffffffff000L, 1};
        return v;
    }

    private static String vmasJson(long[][] vmas, int shift) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < vmas.length; i++) {
            long start = vmas[i][0];
            if (i == 1 && shift != 0) {
                start += (long) shift << 12; // the heap's start moves within its own 33 pages (shift <= 32)
            }
            b.append(i == 0 ? "" : ",").append("{\"start\":\"0x").append(Long.toHexString(start))
                    .append("\",\"end\":\"0x").append(Long.toHexString(vmas[i][1])).append('"')
                    .append(vmas[i][2] != 0 ? ",\"flags\":[\"growsdown\"]}" : "}");
        }
        return b.append(']').toString();
    }

    /**
     * Answers {@code n} requests {@code rounds} times (a block of at most 20,000 distinct lines,
     * repeated), prints each round's rate and returns the median rate.
     */
    public static double run(int n, boolean distinctSpaces, int rounds, PrintStream report) throws IOException {
        return run(n, distinctSpaces ? Mode.DISTINCT : Mode.CARRIED, rounds, report);
    }

    /**
     * As {@link #run(int, boolean, int, PrintStream)} in {@code mode}; in the session modes each
     * block starts with the line defining the space (1 line in 20,000).
     */
    public static double run(int n, Mode mode, int rounds, PrintStream report) throws IOException {
        int block = Math.min(n, 20_000);
        byte[] input = requests(block, 42, mode);
        int repeats = (n + block - 1) / block;
        long lines = (long) block * repeats;
        String how = switch (mode) {
            case CARRIED -> "mmap requests, each carrying a " + VMAS + "-VMA x86_64 space (the same space on every line)";
            case DISTINCT -> "mmap requests, each carrying a " + VMAS + "-VMA x86_64 space that changes every line";
            case SESSION -> "mmap requests naming a " + VMAS + "-VMA x86_64 session space (defined once a block)";
            case REPLAY -> "requests replayed through a " + VMAS + "-VMA x86_64 session space (1 in 4 a MAP_FIXED "
                    + "mmap applied, 1 in 4 its munmap)";
        };
        report.printf("oracle bench: %,d %s; %,d bytes a line%n", lines, how, input.length / block);
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            Counter sink = new Counter();
            long t0 = System.nanoTime();
            new Oracle().serve(new Repeat(input, repeats), sink);
            long t1 = System.nanoTime();
            if (sink.lines != lines) {
                throw new IllegalStateException("answered " + sink.lines + " of " + lines + " lines");
            }
            rates[r] = lines / ((t1 - t0) / 1e9);
            report.printf("  round %d: %,d requests in %.3f s: %,.0f requests/s%n", r + 1, lines, (t1 - t0) / 1e9,
                    rates[r]);
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        return sorted[rounds / 2];
    }

    /** {@code block} {@code times} over, as a stream. */
    static final class Repeat extends InputStream {
        private final byte[] block;
        private int left;
        private int pos;

        Repeat(byte[] block, int times) {
            this.block = block;
            this.left = times;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = Math.min(len, block.length - pos);
            System.arraycopy(block, pos, b, off, n);
            pos += n;
            if (pos == block.length) {
                pos = 0;
                left--;
            }
            return n;
        }
    }

    /** Counts answer lines, keeps nothing. */
    static final class Counter extends OutputStream {
        long lines;
        long bytes;

        @Override
        public void write(int x) {
            bytes++;
            if (x == '\n') {
                lines++;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    lines++;
                }
            }
        }
    }
}
