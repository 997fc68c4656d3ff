package io.pfnmap.mm.core;

/**
 * The mmap flags placement reads, with the values of include/uapi/asm-generic/mman-common.h and
 * linux/mman.h, and tests for them written with {@code /} and {@code %}.
 */
public final class MapFlags {
    private MapFlags() {
    }

    public static final long MAP_SHARED = 0x01;
    public static final long MAP_PRIVATE = 0x02;
    public static final long MAP_SHARED_VALIDATE = 0x03;
    public static final long MAP_FIXED = 0x10;
    public static final long MAP_ANONYMOUS = 0x20;
    public static final long MAP_NORESERVE = 0x4000;
    public static final long MAP_FIXED_NOREPLACE = 0x100000;
    /**
     * Not a Linux flag: the model's mark that the search runs for a file that is not hugetlb, the
     * {@code filp} argument of {@code mm_get_unmapped_area_vmflags} (mm/mmap.c) that x86's {@code
     * arch_get_unmapped_area*} read (arch/x86/kernel/sys_x86_64.c: {@code if (filp)} sets AMD
     * F15h's {@code va_align} mask and bits). Set by {@code GetUnmappedArea.getUnmappedAreaHook}
     * for every file but hugetlb ones and shared /dev/zero (which passes NULL), cleared for shmem's
     * inflated search (NULL too); it rides in {@code flags} so that the signatures and contracts of
     * the searches' callers stay as they are. Far above every MAP_* bit (MAP_HUGE_* ends at bit 31).
     */
    public static final long FILP = 1L << 40;

    /*@ // Bit bit of flags is set, in plain arithmetic: what has() returns, stated so that a
      @ // contract can name the flag test without calling the code it constrains (KeY does not
      @ // relate a pure call in a specification to the same call in the code).
      @ public static model pure boolean hasBit(long flags, long bit) {
      @     return (Arith.u(flags) / bit) % 2 == 1;
      @ }
      @*/

    /** Whether bit {@code bit} (a power of two, at most 2^62) is set in {@code flags}. */
    /*@ public normal_behavior
      @ requires 0 < bit && bit <= Arith.MAX_POW2 && Arith.MAX_POW2 % bit == 0;
      @ ensures \result <==> hasBit(flags, bit);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ boolean has(long flags, long bit) {
        // remU, not Java's %: for bit 1 the quotient is flags itself, negative when bit 63 is set,
        // and a negative odd long has % 2 == -1 (has(MAP_SHARED) was false for such flags).
        return Arith.remU(Arith.udiv(flags, bit), 2) == 1;
    }

    /**
     * {@code flags | bit} for a single-bit {@code bit}: {@code flags} itself when the bit is set,
     * else {@code flags + bit}, which carries into no other bit ({@code bitClearAdds}).
     */
    /*@ public normal_behavior
      @ requires 0 < bit && bit <= Arith.MAX_POW2 && Arith.MAX_POW2 % bit == 0;
      @ ensures hasBit(\result, bit);
      @ // the other bits as they were: no bit but this one is added, none taken away
      @ ensures hasBit(flags, bit) ? \result == flags : \result == flags + bit;
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long with(long flags, long bit) {
        if (has(flags, bit)) {
            return flags;
        }
        ArithLemmas.bitClearAdds(flags, bit); // a lemma, no code: the clear bit, added, carries nowhere
        return flags + bit;
    }
}
