package io.pfnmap.mm;

import io.pfnmap.mm.core.Arith;

/**
 * What a placement function returned, as the kernel returns it: an address, or {@code -errno} in
 * the top 4,095 values.
 */
public record Placement(long value) {
    public boolean isError() {
        return Arith.isErrValue(value);
    }

    /** The address; only meaningful when {@link #isError()} is false. */
    public long address() {
        return value;
    }

    /** The errno (positive), or 0 for an address. */
    public int errno() {
        return isError() ? (int) -value : 0;
    }

    /** The errno's name (ENOMEM...), or the address in hex. */
    public String describe() {
        return isError() ? Errnos.name(errno()) : Hex.of(value);
    }

    @Override
    public String toString() {
        return describe();
    }
}
