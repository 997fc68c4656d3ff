package io.pfnmap.mm;

/** u64 values as the kernel prints them: 0x-prefixed lowercase hex, read unsigned. */
public final class Hex {
    private Hex() {
    }

    public static String of(long v) {
        return "0x" + Long.toHexString(v);
    }
}
