package io.pfnmap.arch;

/**
 * One leaf size of a configuration: where it sits and whether a huge pfnmap fault may insert it.
 *
 * @param level   the page-table level whose entry is the leaf
 * @param size    its size in bytes
 * @param pfnmap  whether a VM_PFNMAP fault may insert it (PTE always; PMD/PUD per Kconfig)
 */
public record Leaf(Level level, long size, boolean pfnmap) {
}
