package io.pfnmap.arch;

/** Byte sizes, named as the kernel's SZ_* constants are. */
public final class Sizes {
    private Sizes() {
    }

    public static final long K1 = 1024L;
    public static final long K4 = 4 * K1;
    public static final long K64 = 64 * K1;
    public static final long M1 = K1 * K1;
    public static final long M2 = 2 * M1;
    public static final long G1 = K1 * M1;
}
