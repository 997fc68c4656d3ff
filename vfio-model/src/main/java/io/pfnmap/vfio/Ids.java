package io.pfnmap.vfio;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** The protocol ids of this package's enums: how each is spelled, and the lookup by it. */
final class Ids {
    private Ids() {
    }

    /** {@code e}'s protocol id: its name in lower case, with '-' for '_' ({@code ORDER_HINT}: "order-hint"). */
    static String of(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
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
