package io.pfnmap.mm;

/**
 * AMD family 15h's {@code va_align} (arch/x86/kernel/sys_x86_64.c, arch/x86/kernel/cpu/amd.c
 * {@code bsp_init_amd}): to avoid I$ aliasing, x86_64's file searches align to {@code mask} and add
 * {@code bits}, drawn once per boot, to their offset. Every other CPU leaves {@code va_align.flags}
 * at -1 ({@link #OFF}).
 *
 * @param mask        {@code va_align.mask}: {@code (upperbit - 1) & PAGE_MASK}, where {@code
 *                    upperbit} is the L1 I$ size over its associativity (CPUID 0x80000005 EDX), a
 *                    power of two; 0x7000 on the usual F15h (64 KiB, 2-way: 32 KiB)
 * @param bits        {@code va_align.bits}: {@code get_random_u32() & va_align.mask}, fixed at boot
 * @param alignVaAddr the boot option {@code align_va_addr=}: {@link #ON} (F15h's default, both
 *                    bitnesses), {@link #ALIGN_VA_64}, {@link #ALIGN_VA_32}, or 0 ({@code off})
 * @param pfRandomize the task has PF_RANDOMIZE (address-space randomisation on: not under
 *                    {@code setarch -R}, {@code randomize_va_space} not 0); without it {@code
 *                    get_align_mask} is 0
 */
public record VaAlign(long mask, long bits, int alignVaAddr, boolean pfRandomize) {
    /** {@code ALIGN_VA_32} (arch/x86/include/asm/elf.h): 32-bit tasks. */
    public static final int ALIGN_VA_32 = 1;
    /** {@code ALIGN_VA_64}: 64-bit tasks (the model's). */
    public static final int ALIGN_VA_64 = 2;
    /** {@code align_va_addr=on}, and F15h's boot default. */
    public static final int ON = ALIGN_VA_32 | ALIGN_VA_64;
    /** The largest {@code upperbit} accepted: 2^30 (CPUID gives at most 255 KiB of I$, so 2^18). */
    public static final long MAX_UPPERBIT = 1L << 30;

    public static final String MASK_RULE = "must be (upperbit - 1) & PAGE_MASK for a power of two upperbit above "
            + "PAGE_SIZE and at most 2^30 (amd.c's va_align.mask), or 0";
    public static final String BITS_RULE = "must lie within mask (amd.c draws get_random_u32() & va_align.mask)";

    /** Not an F15h, or its alignment off: no mask, no bits. */
    public static final VaAlign OFF = new VaAlign(0, 0, 0, true);

    public VaAlign {
        if (alignVaAddr < 0 || alignVaAddr > ON) {
            throw new InvalidInputException("align_va_addr", "must be on, 64, 32 or off, got flags " + alignVaAddr);
        }
        if ((bits & ~mask) != 0) {
            throw new InvalidInputException("bits", BITS_RULE + ", got " + Hex.of(bits) + " with mask " + Hex.of(mask));
        }
    }

    /** F15h with {@code upperbit} (a power of two) and boot-time {@code bits}, {@code align_va_addr} at its default (on). */
    public static VaAlign f15h(long upperbit, long pageSize, long bits) {
        return new VaAlign((upperbit - 1) & -pageSize, bits, ON, true);
    }

    /** Checks {@code mask}'s shape for a page of {@code pageSize} bytes; the field is {@code field}. */
    void check(String field, long pageSize) {
        if (mask == 0) {
            return;
        }
        long upperbit = mask + pageSize;
        if (mask < 0 || mask % pageSize != 0 || Long.bitCount(upperbit) != 1 || upperbit > MAX_UPPERBIT) {
            throw new InvalidInputException(field, MASK_RULE + ", got " + Hex.of(mask));
        }
    }

    /** {@code get_align_mask(NULL)} for a 64-bit task: the mask when ALIGN_VA_64 is set and PF_RANDOMIZE, else 0. */
    public long effectiveMask() {
        return (alignVaAddr & ALIGN_VA_64) != 0 && pfRandomize ? mask : 0;
    }

    /** {@code get_align_bits()}: {@code va_align.bits & get_align_mask(NULL)}. */
    public long effectiveBits() {
        return bits & effectiveMask();
    }
}
