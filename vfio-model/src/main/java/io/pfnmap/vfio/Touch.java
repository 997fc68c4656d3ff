package io.pfnmap.vfio;

import io.pfnmap.vfio.core.VfioProfile;
import java.util.Optional;

/** The order in which a fault profile touches a mapping's pages ({@link VfioProfile#touch}). */
public enum Touch {
    ASCENDING(VfioProfile.ASCENDING),
    DESCENDING(VfioProfile.DESCENDING),
    RANDOM(VfioProfile.RANDOM);

    private final int core;

    Touch(int core) {
        this.core = core;
    }

    public String id() {
        return Ids.of(this);
    }

    int core() {
        return core;
    }

    public static Optional<Touch> byId(String id) {
        return Ids.byId(values(), Touch::id, id);
    }
}
