package io.pfnmap.vfio;

import io.pfnmap.vfio.core.VfioProfile;
import java.util.Optional;

/** The order in which a fault profile touches a mapping's pages ({@link VfioProfile#touch}). */
public enum Touch {
    ASCENDING("ascending", VfioProfile.ASCENDING),
    DESCENDING("descending", VfioProfile.DESCENDING),
    RANDOM("random", VfioProfile.RANDOM);

    private final String id;
    private final int core;

    Touch(String id, int core) {
        this.id = id;
        this.core = core;
    }

    public String id() {
        return id;
    }

    int core() {
        return core;
    }

    public static Optional<Touch> byId(String id) {
        return Ids.byId(values(), Touch::id, id);
    }
}
