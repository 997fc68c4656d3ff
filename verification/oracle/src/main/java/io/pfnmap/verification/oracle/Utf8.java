package io.pfnmap.verification.oracle;

/** Strict UTF-8 (RFC 3629): Jackson lets overlong forms and encoded surrogates through, the protocol does not. */
final class Utf8 {
    private Utf8() {
    }

    /** The offset of the first byte of {@code b[from, to)} that is not valid UTF-8, or -1. */
    static int firstInvalid(byte[] b, int from, int to) {
        int p = from;
        while (p < to) {
            int c0 = b[p] & 0xff;
            if (c0 < 0x80) {
                p++;
                continue;
            }
            int n;
            int lo = 0x80;
            int hi = 0xbf;
            if (c0 >= 0xc2 && c0 <= 0xdf) {
                n = 1;
            } else if (c0 >= 0xe0 && c0 <= 0xef) {
                n = 2;
                lo = c0 == 0xe0 ? 0xa0 : 0x80; // no overlongs
                hi = c0 == 0xed ? 0x9f : 0xbf; // no surrogates
            } else if (c0 >= 0xf0 && c0 <= 0xf4) {
                n = 3;
                lo = c0 == 0xf0 ? 0x90 : 0x80;
                hi = c0 == 0xf4 ? 0x8f : 0xbf; // at most U+10FFFF
            } else {
                return p;
            }
            for (int i = 1; i <= n; i++) {
                if (p + i >= to) {
                    return p + i;
                }
                int c = b[p + i] & 0xff;
                if (c < (i == 1 ? lo : 0x80) || c > (i == 1 ? hi : 0xbf)) {
                    return p + i;
                }
            }
            p += n + 1;
        }
        return -1;
    }
}
