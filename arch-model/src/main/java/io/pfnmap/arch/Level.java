package io.pfnmap.arch;

/** A page-table level at which Linux can install a leaf (include/linux/pgtable.h naming). */
public enum Level {
    /** A base page (PTE). */
    PTE,
    /** A PMD leaf (arm64 "block", s390x "segment"). */
    PMD,
    /** A PUD leaf (s390x "region third"). */
    PUD
}
