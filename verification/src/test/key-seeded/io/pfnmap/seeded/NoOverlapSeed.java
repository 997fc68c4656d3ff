package io.pfnmap.seeded;

import io.pfnmap.mm.core.Arith;

/**
 * No-overlap, seeded: a scan of the VMA array (as the VMA tree's gap test walks it) that answers
 * whether {@code [addr, addr + len)} meets no VMA, proved against the definition for every VMA.
 * The control checks every VMA; the wrong one stops one VMA early (a classic loop bound slip),
 * the other lets the range run one byte into the next VMA.
 */
public final class NoOverlapSeed {
    private NoOverlapSeed() {
    }

    /*@ public normal_behavior
      @ requires vmStart.length == vmEnd.length;
      @ requires Arith.u(addr) + Arith.u(len) < ((\bigint) 9223372036854775807L * 2 + 2);
      @ ensures \result ==> (\forall int j; 0 <= j && j < vmStart.length;
      @             Arith.u(vmEnd[j]) <= Arith.u(addr) || Arith.u(addr) + Arith.u(len) <= Arith.u(vmStart[j]));
      @ assignable \nothing; @*/
    public static boolean controlClear(long[] vmStart, long[] vmEnd, long addr, long len) {
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= vmStart.length;
          @ loop_invariant (\forall int j; 0 <= j && j < i;
          @             Arith.u(vmEnd[j]) <= Arith.u(addr) || Arith.u(addr) + Arith.u(len) <= Arith.u(vmStart[j]));
          @ decreases vmStart.length - i; @*/
        while (i < vmStart.length) {
            if (!(Arith.ule(vmEnd[i], addr) || Arith.ule(addr + len, vmStart[i]))) {
                return false;
            }
            i++;
        }
        return true;
    }

    /*@ public normal_behavior
      @ requires vmStart.length == vmEnd.length;
      @ requires Arith.u(addr) + Arith.u(len) < ((\bigint) 9223372036854775807L * 2 + 2);
      @ ensures \result ==> (\forall int j; 0 <= j && j < vmStart.length;
      @             Arith.u(vmEnd[j]) <= Arith.u(addr) || Arith.u(addr) + Arith.u(len) <= Arith.u(vmStart[j]));
      @ assignable \nothing; @*/
    public static boolean wrongClearSkipsLast(long[] vmStart, long[] vmEnd, long addr, long len) {
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= vmStart.length;
          @ loop_invariant (\forall int j; 0 <= j && j < i;
          @             Arith.u(vmEnd[j]) <= Arith.u(addr) || Arith.u(addr) + Arith.u(len) <= Arith.u(vmStart[j]));
          @ decreases vmStart.length - i; @*/
        while (i < vmStart.length - 1) {
            if (!(Arith.ule(vmEnd[i], addr) || Arith.ule(addr + len, vmStart[i]))) {
                return false;
            }
            i++;
        }
        return true;
    }

    /*@ public normal_behavior
      @ requires vmStart.length == vmEnd.length;
      @ requires Arith.u(addr) + Arith.u(len) < ((\bigint) 9223372036854775807L * 2 + 2);
      @ ensures \result ==> (\forall int j; 0 <= j && j < vmStart.length;
      @             Arith.u(vmEnd[j]) <= Arith.u(addr) || Arith.u(addr) + Arith.u(len) <= Arith.u(vmStart[j]));
      @ assignable \nothing; @*/
    public static boolean wrongClearOneByte(long[] vmStart, long[] vmEnd, long addr, long len) {
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= vmStart.length;
          @ decreases vmStart.length - i; @*/
        while (i < vmStart.length) {
            // seeded: the range may end one byte inside the VMA
            if (!(Arith.ule(vmEnd[i], addr) || Arith.ule(addr + len - 1, vmStart[i]))) {
                return false;
            }
            i++;
        }
        return true;
    }
}
