package io.pfnmap.verification.oracle;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.ReservedRange;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.vfio.Touch;
import io.pfnmap.vfio.core.VfioProfile;

/** Op {@code "mmap"}: do_mmap up to the address, of anonymous memory, a file, or a VFIO-PCI device. */
final class MmapDecoder {
    private MmapDecoder() {
    }

    private static final String SHARED_VALIDATE_NOREPLACE = "MAP_SHARED_VALIDATE with MAP_FIXED_NOREPLACE: do_mmap "
            + "refuses it with EOPNOTSUPP after the search (not in LEGACY_MAP_MASK), a check the model leaves out";

    /** {@code apply}: the session space a placed range is added to ({@code "apply": true}), or null. */
    static Request decode(Fields f, AddressSpace space, ArchConfig arch, String apply) {
        Node filev = f.get("file");
        boolean shmem = filev != null && filev.is(Node.Kind.OBJECT) && filev.size() == 1
                && filev.name(0).equals("shmem");
        boolean hugetlbfs = filev != null && filev.is(Node.Kind.OBJECT) && filev.size() == 1
                && filev.name(0).equals("hugetlbfs");
        if (filev != null && filev.is(Node.Kind.OBJECT) && !shmem && !hugetlbfs) {
            return vfio(f, space, arch, apply);
        }
        for (String member : new String[] {"profile", "touch", "seed"}) {
            if (f.get(member) != null) {
                throw f.invalid(member, "only for a {\"vfio_pci\": ...} file (the fault profile of a BAR mapping)");
            }
        }
        FileKind file = null;
        long hugePageSize = 0;
        ImmutableList<ReservedRange> reserved = ImmutableList.of();
        if (shmem) {
            file = ShmemDecoder.file(f, filev, space.config());
        } else if (hugetlbfs) {
            file = FileKind.HUGETLBFS;
            Fields h = f.object(filev, "file").object(filev.item(0), "hugetlbfs");
            hugePageSize = hugetlbfsPageSize(h, space);
            reserved = hugetlbfsReserved(h);
        } else if (filev != null) {
            String name = f.string(filev, "file");
            file = RequestParser.FILE_KINDS.get(name);
            if (file == null) {
                throw f.invalid("file", "unknown kind " + Fields.quote(name) + "; known: "
                        + String.join(", ", RequestParser.FILE_KINDS.keySet()) + ", {\"vfio_pci\": {...}}");
            }
        }
        MmapRequest r = request(f, FileKind.ANON);
        boolean explain = f.bool("explain", false);
        boolean anonymous = MapFlags.has(r.flags(), MapFlags.MAP_ANONYMOUS);
        if (file == null) {
            if (!anonymous) {
                throw f.invalid("file", "required unless flags has MAP_ANONYMOUS: one of "
                        + String.join(", ", RequestParser.FILE_KINDS.keySet()));
            }
            file = FileKind.ANON;
        } else if (anonymous && file != FileKind.ANON) {
            throw f.invalid("file", (shmem ? "{\"shmem\": ...}" : hugetlbfs ? "{\"hugetlbfs\": ...}"
                    : Fields.quote(filev.text()))
                    + " with MAP_ANONYMOUS: the kernel maps anonymous "
                    + "memory and ignores the file; use \"anon\" or drop MAP_ANONYMOUS");
        } else if (!anonymous && file == FileKind.ANON) {
            throw f.invalid("flags", "file \"anon\" needs MAP_ANONYMOUS");
        }
        if ((r.flags() & 3) == MapFlags.MAP_SHARED_VALIDATE) {
            if (anonymous) {
                throw f.invalid("flags", "MAP_SHARED_VALIDATE with MAP_ANONYMOUS: do_mmap refuses it with EINVAL "
                        + "after the search, a check the model leaves out");
            }
            if (MapFlags.has(r.flags(), MapFlags.MAP_FIXED_NOREPLACE)) {
                throw f.invalid("flags", SHARED_VALIDATE_NOREPLACE);
            }
        }
        return new Request.Mmap(f.id, space, new MmapRequest(r.addr(), r.len(), r.pgoff(), r.flags(), file,
                hugePageSize, reserved), explain, apply);
    }

    /**
     * {@code "file": {"hugetlbfs": {"page_size": "0x200000"}}}: a file on a hugetlbfs mount whose
     * {@code pagesize=} is one of the kernel's hstates ({@code mm.hugetlb_sizes}); without
     * page_size, the default hstate, as a mount without {@code pagesize=} has.
     */
    private static long hugetlbfsPageSize(Fields h, AddressSpace space) {
        h.onlyKnown(HUGETLBFS_MEMBERS, "unknown member; known: ");
        ImmutableList<Long> hstates = space.config().hstates().sizes();
        if (hstates.isEmpty()) {
            throw h.invalid("page_size", "the kernel has no hstate (mm.hugetlb_sizes is empty): no hugetlbfs mount");
        }
        long size = h.u64("page_size", hstates.get(0));
        if (!hstates.contains(size)) {
            throw h.invalid("page_size", "must be one of the kernel's hstates (mm.hugetlb_sizes: "
                    + hstates.stream().map(Hex::of).collect(java.util.stream.Collectors.joining(", ")) + "), got "
                    + Hex.of(size));
        }
        return size;
    }

    /**
     * {@code "reserved": [["0x0", "0x4"], ...]}: the file's reserve map (the inode's resv_map, the
     * huge pages a shared mapping has reserved and munmap left there), as [from, to) pairs of
     * huge-page indices, sorted and disjoint ({@link ReservedRange#RULE}); default none (a new file).
     */
    private static ImmutableList<ReservedRange> hugetlbfsReserved(Fields h) {
        Node v = h.get("reserved");
        if (v == null) {
            return ImmutableList.of();
        }
        if (!v.is(Node.Kind.ARRAY)) {
            throw h.invalid("reserved", "must be an array of [from, to] pairs: " + ReservedRange.RULE + ", got "
                    + v.typeName());
        }
        ImmutableList.Builder<ReservedRange> b = ImmutableList.builder();
        long end = 0;
        for (int i = 0; i < v.size(); i++) {
            String at = "reserved[" + i + "]";
            Node p = v.item(i);
            if (!p.is(Node.Kind.ARRAY) || p.size() != 2) {
                throw h.invalid(at, "must be a pair [from, to] of huge-page indices: " + ReservedRange.RULE + ", got "
                        + (p.is(Node.Kind.ARRAY) ? "an array of " + p.size() : p.typeName()));
            }
            long from = h.u64(p.item(0), at + "[0]");
            long to = h.u64(p.item(1), at + "[1]");
            ReservedRange.Violation bad = ReservedRange.violation(i, end, from, to);
            if (bad != null) {
                throw h.invalid(at + bad.part(), bad.reason());
            }
            end = to;
            b.add(new ReservedRange(from, to));
        }
        return b.build();
    }

    /** The members of {@code "file": {"hugetlbfs": {...}}}. */
    static final ImmutableSet<String> HUGETLBFS_MEMBERS = ImmutableSet.of("page_size", "reserved");

    private static Request vfio(Fields f, AddressSpace space, ArchConfig arch, String apply) {
        VfioDecoder v = VfioDecoder.decode(f, arch, true);
        MmapRequest r = request(f, FileKind.PLAIN_DEVICE);
        boolean explain = f.bool("explain", false);
        if (MapFlags.has(r.flags(), MapFlags.MAP_ANONYMOUS)) {
            throw f.invalid("flags", "MAP_ANONYMOUS with a vfio_pci file: the kernel maps anonymous memory and "
                    + "ignores the file; drop MAP_ANONYMOUS");
        }
        if ((r.flags() & 3) == MapFlags.MAP_SHARED_VALIDATE && MapFlags.has(r.flags(), MapFlags.MAP_FIXED_NOREPLACE)) {
            throw f.invalid("flags", SHARED_VALIDATE_NOREPLACE);
        }
        boolean profile = f.bool("profile", false);
        Touch touch = null;
        Node tv = f.get("touch");
        if (tv != null) {
            String t = f.string(tv, "touch");
            touch = Touch.byId(t).orElseThrow(() -> f.invalid("touch", "unknown order " + Fields.quote(t)
                    + "; known: ascending, descending, random"));
            long pages = r.len() == 0 ? 0 : Long.divideUnsigned(r.len() - 1, space.config().pageSize()) + 1;
            if (Long.compareUnsigned(pages, VfioProfile.MAX_TOUCH_PAGES) > 0) {
                throw f.invalid("touch", "walks the pages one at a time, at most " + VfioProfile.MAX_TOUCH_PAGES
                        + " (len has " + Long.toUnsignedString(pages) + "); without touch the profile is counted, "
                        + "the same in every order");
            }
        }
        long seed = f.u64("seed", 0);
        if (!profile && (touch != null || f.get("seed") != null)) {
            throw f.invalid(touch != null ? "touch" : "seed", "needs \"profile\": true");
        }
        if (f.get("seed") != null && touch != Touch.RANDOM) {
            throw f.invalid("seed", "only with \"touch\": \"random\"");
        }
        return new Request.VfioMmap(f.id, space, v.arch(), v.device(), v.policy(), r, explain, apply, profile, touch,
                seed);
    }

    /** addr, len (required), pgoff, flags (required), in that order, as a request for {@code file}. */
    private static MmapRequest request(Fields f, FileKind file) {
        long addr = f.u64("addr", 0);
        long len = f.required("len");
        long pgoff = f.u64("pgoff", 0);
        Node flags = f.get("flags");
        if (flags == null) {
            throw f.invalid("flags", "required: MAP_* names, with one of MAP_SHARED, MAP_PRIVATE, "
                    + "MAP_SHARED_VALIDATE");
        }
        return new MmapRequest(addr, len, pgoff, mapFlags(f, flags), file);
    }

    /** MAP_* names, each once, exactly one mapping type among them. */
    static long mapFlags(Fields f, Node v) {
        long flags = 0;
        int types = 0;
        for (String name : f.names(v, "flags", RequestParser.MAP_FLAGS.keySet(), " of MAP_* names", null)) {
            long bit = RequestParser.MAP_FLAGS.get(name);
            if (bit <= MapFlags.MAP_SHARED_VALIDATE) {
                types++;
            }
            flags |= bit;
        }
        if (types != 1) {
            throw f.invalid("flags", "needs exactly one of MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE (do_mmap "
                    + "refuses other mapping types with EINVAL after the search, a check the model leaves out)");
        }
        return flags;
    }
}
