package io.pfnmap.mm;

import io.pfnmap.mm.core.MmState;

/** The VMA flags the search reads (include/linux/mm.h), with their bit in the core's encoding. */
public enum VmaFlag {
    GROWSDOWN(MmState.VM_GROWSDOWN),
    GROWSUP(MmState.VM_GROWSUP),
    SHADOW_STACK(MmState.VM_SHADOW_STACK);

    private final int bit;

    VmaFlag(int bit) {
        this.bit = bit;
    }

    int bit() {
        return bit;
    }
}
