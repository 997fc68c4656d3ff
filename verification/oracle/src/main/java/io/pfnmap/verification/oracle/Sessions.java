package io.pfnmap.verification.oracle;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.InvalidInputException;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.Vma;
import io.pfnmap.vfio.PageTables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The named address spaces of one stream (docs/oracle.md, "Sessions"): op {@code "space"}
 * defines, extends or drops one, op {@code "munmap"} and an {@code mmap} with {@code "apply"}
 * edit one, and any request may name one instead of carrying {@code "mm"} and {@code "vmas"}.
 * Decoding only reads them; the {@link Oracle} commits an edit after the answer is written, so a
 * refused line leaves every space as it was. Spaces are independent: an edit replaces one entry.
 * Not thread-safe; one per stream.
 */
final class Sessions {
    /** Spaces a stream may hold at once: each costs memory until dropped. */
    static final int MAX_SPACES = 4096;
    /**
     * VMAs all of a stream's spaces may hold together: 64 spaces at vm.max_map_count (65,530),
     * a few hundred MB of heap. An edit may add up to two (a split and the new VMA).
     */
    static final long MAX_VMAS = 1L << 22;
    /** The longest space name, in UTF-16 units. */
    static final int MAX_NAME = 64;

    static final ImmutableSet<String> SPACE_MEMBERS = ImmutableSet.of("id", "op", "space", "mm", "vmas", "append",
            "drop");
    static final ImmutableSet<String> MUNMAP_MEMBERS = ImmutableSet.of("id", "op", "space", "addr", "len");

    /**
     * One named space: the arch configuration its "mm" named (for VFIO files), the space, and the
     * huge-level page-table entries its profiled VFIO mappings left (docs/oracle.md, "Fault
     * profiles"): a later profile in the space counts no huge-fault call on them.
     */
    record Session(ArchConfig arch, AddressSpace space, PageTables tables) {
    }

    private final Map<String, Session> spaces = new HashMap<>();
    /** Each session's space object -> its name, to find a request's page tables ({@link #tablesOf}). */
    private final java.util.IdentityHashMap<AddressSpace, String> byIdentity = new java.util.IdentityHashMap<>();
    private long vmas;

    /** The space a request names in {@code "space"}, which must exist, or null when it names none. */
    Session named(Fields f) {
        Node v = f.get("space");
        if (v == null) {
            return null;
        }
        for (String carried : new String[] {"mm", "vmas"}) {
            if (f.get(carried) != null) {
                throw f.invalid(carried, "not with \"space\": a request names a space or carries its own mm and "
                        + "vmas, not both");
            }
        }
        return existing(f, name(f, v));
    }

    private Session existing(Fields f, String name) {
        Session s = spaces.get(name);
        if (s == null) {
            throw f.invalid("space", "unknown space " + Fields.quote(name) + " (" + spaces.size() + " defined in "
                    + "this stream); define it first with {\"op\": \"space\", \"space\": " + Fields.quote(name)
                    + ", \"mm\": ..., \"vmas\": [...]}");
        }
        return s;
    }

    private static String name(Fields f, Node v) {
        String name = f.string(v, "space");
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw f.invalid("space", "must be a name of 1 to " + MAX_NAME + " characters, got " + Fields.quote(name));
        }
        return name;
    }

    /** Refuses an edit (up to two more VMAs) once the spaces hold {@link #MAX_VMAS}, naming {@code field}. */
    void roomForEdit(Fields f, String field) {
        if (vmas + 2 > MAX_VMAS) {
            throw f.invalid(field, "the stream's spaces hold " + vmas + " VMAs, the most they may hold ("
                    + MAX_VMAS + "); drop a space first");
        }
    }

    /** Op {@code "space"}: define (or replace), append to, or drop a space. */
    Request decodeSpace(Fields f, SpaceDecoder decoder) {
        Node nv = f.get("space");
        if (nv == null) {
            throw f.invalid("space", "required: the space's name");
        }
        String name = name(f, nv);
        if (f.bool("drop", false)) {
            for (String other : new String[] {"mm", "vmas", "append"}) {
                if (f.get(other) != null) {
                    throw f.invalid(other, "not with \"drop\"");
                }
            }
            existing(f, name);
            return new Request.Space(f.id, name, null, null, false);
        }
        if (f.bool("append", false)) {
            Session s = existing(f, name);
            if (f.get("mm") != null) {
                throw f.invalid("mm", "not with \"append\": the space keeps the mm it was defined with");
            }
            Node v = f.get("vmas");
            if (v == null) {
                throw f.invalid("vmas", "required with \"append\": the VMAs to add above the space's last one");
            }
            List<Vma> more = SpaceDecoder.vmas(f, v, s.space().config());
            ImmutableList<Vma> old = s.space().vmas();
            if (!more.isEmpty() && !old.isEmpty()
                    && Long.compareUnsigned(more.get(0).start(), old.get(old.size() - 1).end()) < 0) {
                throw f.invalid("vmas[0]", "must start at or above the end " + Hex.of(old.get(old.size() - 1).end())
                        + " of the space's last VMA (append adds VMAs above those it holds), got "
                        + Hex.of(more.get(0).start()));
            }
            checkRoom(f, name, old.size() + more.size());
            return new Request.Space(f.id, name, s.arch(), space(f, s.space().config(),
                    ImmutableList.<Vma>builderWithExpectedSize(old.size() + more.size()).addAll(old).addAll(more)
                            .build()), true);
        }
        if (!spaces.containsKey(name) && spaces.size() >= MAX_SPACES) {
            throw f.invalid("space", "this stream holds " + MAX_SPACES + " spaces, the most it may; drop one first");
        }
        MmConfig config = decoder.config(f);
        AddressSpace space = decoder.space(f, config);
        checkRoom(f, name, space.vmas().size());
        return new Request.Space(f.id, name, decoder.arch(f), space, false);
    }

    private void checkRoom(Fields f, String name, long size) {
        Session old = spaces.get(name);
        long after = vmas - (old == null ? 0 : old.space().vmas().size()) + size;
        if (after > MAX_VMAS) {
            throw f.invalid("vmas", "the stream's spaces would hold " + after + " VMAs, more than " + MAX_VMAS
                    + "; drop a space first");
        }
    }

    private static AddressSpace space(Fields f, MmConfig config, List<Vma> vmas) {
        try {
            return AddressSpace.of(config, vmas);
        } catch (InvalidInputException e) {
            throw f.invalid(e.field(), e.rule());
        }
    }

    /** Op {@code "munmap"}: {@code space} (required), {@code addr}, {@code len} (both required). */
    Request decodeMunmap(Fields f) {
        if (f.get("space") == null) {
            throw f.invalid("space", "required: munmap edits a space defined with {\"op\": \"space\", ...}");
        }
        Session s = named(f);
        long addr = f.required("addr");
        long len = f.required("len");
        roomForEdit(f, "space");
        return new Request.Munmap(f.id, nameOf(f), s.space(), addr, len);
    }

    /** The name in {@code "space"}, already checked by {@link #named}. */
    static String nameOf(Fields f) {
        return f.get("space").text();
    }

    /**
     * Commits a decoded op {@code "space"}: the new space, or none after a drop. A space defined
     * anew starts with empty page tables; an append keeps them (the VMAs it adds were never touched).
     */
    void commit(Request.Space r) {
        if (r.space() == null) {
            put(r.name(), null);
        } else {
            Session old = spaces.get(r.name());
            put(r.name(), new Session(r.arch(), r.space(), r.append() && old != null ? old.tables() : null));
        }
    }

    /** Replaces the space called {@code name} (which exists) after an edit, keeping its page tables. */
    void replace(String name, AddressSpace space) {
        replace(name, space, spaces.get(name).tables());
    }

    /** Replaces the space called {@code name} (which exists) and its page tables (null: none recorded). */
    void replace(String name, AddressSpace space, PageTables tables) {
        put(name, new Session(spaces.get(name).arch(), space, tables));
    }

    /**
     * The page tables recorded for {@code space} when it is a session's space (the very object a
     * request naming the session was decoded with), else null: a request that carries its own
     * "mm" and "vmas" has empty page tables.
     */
    PageTables tablesOf(AddressSpace space) {
        String name = byIdentity.get(space);
        Session s = name == null ? null : spaces.get(name);
        return s == null || s.space() != space ? null : s.tables();
    }

    private void put(String name, Session s) {
        Session old = s == null ? spaces.remove(name) : spaces.put(name, s);
        if (old != null) {
            byIdentity.remove(old.space());
        }
        if (s != null) {
            byIdentity.put(s.space(), name);
        }
        vmas += (s == null ? 0 : s.space().vmas().size()) - (old == null ? 0 : old.space().vmas().size());
    }
}
