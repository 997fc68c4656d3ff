package io.pfnmap.mm;

import com.google.common.collect.ImmutableBiMap;

/** The names of the errno values (include/uapi/asm-generic/errno-base.h and errno.h on x86_64 and arm64). */
public final class Errnos {
    private Errnos() {
    }

    private static final ImmutableBiMap<Integer, String> NAMES = ImmutableBiMap.<Integer, String>builder()
            .put(1, "EPERM").put(2, "ENOENT").put(9, "EBADF").put(11, "EAGAIN").put(12, "ENOMEM")
            .put(13, "EACCES").put(14, "EFAULT").put(16, "EBUSY").put(17, "EEXIST").put(19, "ENODEV")
            .put(22, "EINVAL").put(23, "ENFILE").put(24, "EMFILE").put(27, "EFBIG").put(75, "EOVERFLOW")
            .put(95, "EOPNOTSUPP").build();

    public static String name(int errno) {
        String n = NAMES.get(errno);
        return n != null ? n : "E" + errno;
    }

    /** The errno for a name, or -1. */
    public static int byName(String name) {
        Integer e = NAMES.inverse().get(name);
        return e != null ? e : -1;
    }
}
