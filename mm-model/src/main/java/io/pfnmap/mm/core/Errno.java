package io.pfnmap.mm.core;

/**
 * The errno values placement can return (include/uapi/asm-generic/errno-base.h, errno.h), and
 * the address-sized error values the kernel returns for them ({@code -errno} as unsigned long).
 */
public final class Errno {
    private Errno() {
    }

    public static final int EPERM = 1;
    public static final int ENOMEM = 12;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int EOVERFLOW = 75;

    /**
     * {@code -ENOMEM} as an address-sized error value, the one way the cores write it, in code and
     * in contracts alike: a constant, so that a proof need not show {@code err}'s argument in
     * range (KeY's strategy for the searches' loops leaves such range goals unexpanded). {@code
     * ArithProperties#enomemValueIsErrOfEnomem} checks it equals {@code err(ENOMEM)}.
     */
    public static final long ENOMEM_VALUE = -12L;

    /** {@code -errno} as the kernel returns it from a function of type unsigned long. */
    /*@ public normal_behavior
      @ requires 0 < errno && errno <= Arith.MAX_ERRNO;
      @ ensures \result == -errno && Arith.isErrValue(\result);
      @*/
    /*+KeY@ assignable \strictly_nothing; @*/ /*-KeY@ assignable \nothing; @*/
    public static /*@ pure @*/ long err(int errno) {
        return -(long) errno;
    }
}
