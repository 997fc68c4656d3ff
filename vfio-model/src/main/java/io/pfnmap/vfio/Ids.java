package io.pfnmap.vfio;

import java.util.Optional;
import java.util.function.Function;

/** The lookup by protocol id that the enums of this package share. */
final class Ids {
    private Ids() {
    }

    /** The first of {@code values} whose {@code idOf} is {@code id}, if any. */
    static <T> Optional<T> byId(T[] values, Function<T, String> idOf, String id) {
        for (T v : values) {
            if (idOf.apply(v).equals(id)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
