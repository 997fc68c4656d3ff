package io.pfnmap.verification.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The protocol's shmem and layout members (issue 25): {@code mm.shmem_enabled}, {@code file:
 * {"shmem": {...}}}, and the layout derived from {@code stack_rlimit}; each bad value refused
 * naming its field and rule, each good one answered as the kernel does (LiveShmemTest and
 * LiveLayoutTest compare the same members with the running kernel).
 */
class OracleShmemLayoutTest {
    private static final String ANON_SHARED = "\"file\":\"anon\",\"len\":\"0x400000\",\"flags\":[\"MAP_SHARED\",\"MAP_ANONYMOUS\"]";

    private static String ask(String line) {
        return new Oracle().answer(line);
    }

    private static void invalid(String line, String field, String ruleStart) {
        String a = ask(line);
        String prefix = "{\"id\":1,\"invalid\":\"" + field + ": " + ruleStart;
        assertEquals(prefix, a.substring(0, Math.min(a.length(), prefix.length())), line + " -> " + a);
    }

    @Test
    void badShmemMembersAreRefusedByName() {
        invalid("{\"id\":1,\"op\":\"mmap\",\"mm\":{\"shmem_enabled\":\"on\"}," + ANON_SHARED + "}",
                "mm.shmem_enabled", "must be one of never, always, within_size, advise, deny, force");
        invalid("{\"id\":1,\"op\":\"mmap\",\"mm\":{\"shmem_enabled\":1}," + ANON_SHARED + "}",
                "mm.shmem_enabled", "must be a string");
        invalid("{\"id\":1,\"op\":\"mmap\",\"mm\":{\"shmem_enabled\":\"always\",\"shmem_huge_size\":\"0x200000\"},"
                + ANON_SHARED + "}", "mm.shmem_huge_size", "give shmem_enabled or shmem_huge_size, not both");
        String file = ",\"len\":\"0x400000\",\"flags\":[\"MAP_SHARED\"]}";
        invalid("{\"id\":1,\"op\":\"mmap\",\"file\":{\"shmem\":{\"huge\":\"deny\"}}" + file, "file.shmem.huge",
                "must be a tmpfs mount's huge=");
        invalid("{\"id\":1,\"op\":\"mmap\",\"file\":{\"shmem\":{\"huge\":\"sometimes\"}}" + file, "file.shmem.huge",
                "must be a tmpfs mount's huge=");
        invalid("{\"id\":1,\"op\":\"mmap\",\"file\":{\"shmem\":{\"huge\":\"always\",\"size\":1}}" + file,
                "file.shmem.size", "unknown member; known: huge, i_size");
        invalid("{\"id\":1,\"op\":\"mmap\",\"file\":{\"shmem\":{\"i_size\":\"0x8000000000000000\"}}" + file,
                "file.shmem.i_size", "must be at most MAX_LFS_FILESIZE");
        invalid("{\"id\":1,\"op\":\"mmap\",\"file\":{\"shmem\":{\"i_size\":-1}}" + file, "file.shmem.i_size",
                "must not be negative");
        invalid("{\"id\":1,\"op\":\"mmap\",\"file\":{\"shmem\":[]}" + file, "file.shmem", "must be an object");
        invalid("{\"id\":1,\"op\":\"mmap\",\"file\":{\"shmem\":{}},\"len\":\"0x1000\",\"flags\":[\"MAP_SHARED\","
                + "\"MAP_ANONYMOUS\"]}", "file", "{\\\"shmem\\\": ...} with MAP_ANONYMOUS");
    }

    @Test
    void unlimitedStackTopdownIsRefusedOnArm64Only() {
        String req = ",\"len\":\"0x3000\",\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]}";
        invalid("{\"id\":1,\"op\":\"mmap\",\"mm\":{\"arch\":\"arm64-16k\",\"layout\":\"topdown\","
                + "\"stack_rlimit\":\"0xffffffffffffffff\"}" + req, "mm.layout", "\\\"topdown\\\" with an unlimited");
        // no layout: arm64 takes the legacy layout (TASK_UNMAPPED_BASE), x86_64 stays top-down
        assertEquals("{\"id\":1,\"result\":\"0x200000000000\"}", ask("{\"id\":1,\"op\":\"mmap\",\"mm\":{\"arch\":"
                + "\"arm64-16k\",\"stack_rlimit\":\"0xffffffffffffffff\"}" + req));
        assertEquals("{\"id\":1,\"result\":\"0x155555553000\"}", ask("{\"id\":1,\"op\":\"mmap\",\"mm\":{"
                + "\"stack_rlimit\":\"0xffffffffffffffff\"}" + req));
        assertEquals("{\"id\":1,\"result\":\"0x155555553000\"}", ask("{\"id\":1,\"op\":\"mmap\",\"mm\":{"
                + "\"layout\":\"topdown\",\"stack_rlimit\":\"0xffffffffffffffff\"}" + req));
        // a limited stack keeps the default layout on arm64 too
        assertEquals("{\"id\":1,\"result\":\"0x7fffbfbfc000\"}", ask("{\"id\":1,\"op\":\"mmap\",\"mm\":{\"arch\":"
                + "\"arm64-16k\",\"stack_rlimit\":\"0x40000000\"}" + req));
    }

    @Test
    void aSessionCarriesShmemEnabled() {
        Oracle o = new Oracle();
        assertEquals("{\"id\":1,\"space\":\"s\",\"vmas\":0}",
                o.answer("{\"id\":1,\"op\":\"space\",\"space\":\"s\",\"mm\":{\"shmem_enabled\":\"force\"}}"));
        // force aligns a file whose mount says never, and anonymous shared memory
        assertEquals("{\"id\":2,\"result\":\"0x7ffff7a00000\"}", o.answer("{\"id\":2,\"op\":\"mmap\",\"space\":\"s\","
                + "\"file\":{\"shmem\":{\"huge\":\"never\"}},\"len\":\"0x400000\",\"flags\":[\"MAP_SHARED\"]}"));
        assertEquals("{\"id\":3,\"result\":\"0x7ffff7a00000\"}", o.answer("{\"id\":3,\"op\":\"mmap\",\"space\":\"s\","
                + ANON_SHARED + "}"));
    }
}
