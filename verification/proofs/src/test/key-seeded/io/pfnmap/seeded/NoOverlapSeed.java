package io.pfnmap.seeded;

/**
 * No-overlap, seeded: a scan of the VMA array (as the VMA tree's gap test walks it) that answers
 * whether {@code [addr, addr + len)} meets no VMA {@code [vmStart[j], vmEnd[j])}, proved against
 * that definition for every VMA. Addresses are bounded by 2^61 so that the sums cannot wrap (the
 * cores' unsigned reading is out of this seed's scope). The control checks every VMA; its wrong
 * variants (proofs/mutants.txt, one line changed) stop one VMA early (a loop bound slip) or let
 * the range run one byte into the next VMA.
 */
public final class NoOverlapSeed {
    private NoOverlapSeed() {
    }

    /*@ public normal_behavior
      @ requires vmStart.length == vmEnd.length;
      @ requires 0 <= addr && addr <= 2305843009213693952L && 0 <= len && len <= 2305843009213693952L;
      @ ensures \result ==> (\forall int j; 0 <= j && j < vmStart.length; vmEnd[j] <= addr || addr + len <= vmStart[j]);
      @ assignable \nothing; @*/
    public static boolean controlClear(long[] vmStart, long[] vmEnd, long addr, long len) {
        int i = 0;
        /*@ loop_invariant 0 <= i && i <= vmStart.length;
          @ loop_invariant (\forall int j; 0 <= j && j < i; vmEnd[j] <= addr || addr + len <= vmStart[j]);
          @ assignable \nothing;
          @ decreases vmStart.length - i; @*/
        while (i < vmStart.length) {
            if (!(vmEnd[i] <= addr || addr + len <= vmStart[i])) {
                return false;
            }
            i++;
        }
        return true;
    }
}
