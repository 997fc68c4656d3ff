package io.pfnmap.verification.oracle;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.arch.Search;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.InvalidInputException;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.Mmap;
import io.pfnmap.mm.MmapRequest;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.VmaFlag;
import io.pfnmap.mm.core.Layout;
import io.pfnmap.mm.core.MapFlags;
import io.pfnmap.vfio.VfioDevice;
import io.pfnmap.vfio.VfioMmapCheck;
import io.pfnmap.vfio.VfioPolicy;
import io.pfnmap.vfio.VfioRegion;
import io.pfnmap.vfio.core.VfioPciOffset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The protocol's request decoder (docs/oracle.md): one line of JSON in (ops {@code mmap},
 * {@code unmapped_area}, {@code aligned}, {@code fault}; files anonymous, regular, device or
 * {@code {"vfio_pci": ...}}), a {@link Request} over the model's records out, or an {@link InvalidRequestException} naming the field and the rule. It
 * checks everything the model's API would refuse and the combinations the model does not decide,
 * so that a valid request always has a model answer.
 *
 * <p>A parser remembers the last address space it built: a stream that repeats the same {@code
 * "mm"} and {@code "vmas"} bytes line after line (the common case for a harness) decodes them once.
 * Not thread-safe; one per stream.
 */
public final class RequestParser {

    /** The MAP_* names the protocol accepts, with their values (include/uapi/linux/mman.h). */
    public static final ImmutableMap<String, Long> MAP_FLAGS = ImmutableMap.<String, Long>builder()
            .put("MAP_SHARED", MapFlags.MAP_SHARED)
            .put("MAP_PRIVATE", MapFlags.MAP_PRIVATE)
            .put("MAP_SHARED_VALIDATE", MapFlags.MAP_SHARED_VALIDATE)
            .put("MAP_ANONYMOUS", MapFlags.MAP_ANONYMOUS)
            .put("MAP_FIXED", MapFlags.MAP_FIXED)
            .put("MAP_FIXED_NOREPLACE", MapFlags.MAP_FIXED_NOREPLACE)
            .put("MAP_NORESERVE", MapFlags.MAP_NORESERVE)
            .build();

    /** The values of {@code "file"}. */
    public static final ImmutableMap<String, FileKind> FILE_KINDS = ImmutableMap.of(
            "anon", FileKind.ANON, "thp_file", FileKind.THP_FILE, "plain_file", FileKind.PLAIN_FILE,
            "device", FileKind.PLAIN_DEVICE);

    /** The values of a VMA's {@code "flags"}. */
    public static final ImmutableMap<String, VmaFlag> VMA_FLAGS = ImmutableMap.of(
            "growsdown", VmaFlag.GROWSDOWN, "growsup", VmaFlag.GROWSUP, "shadow_stack", VmaFlag.SHADOW_STACK);

    /** The ops and their members. */
    public static final ImmutableMap<String, ImmutableSet<String>> OPS = ImmutableMap.of(
            "mmap", ImmutableSet.of("id", "op", "mm", "vmas", "file", "addr", "len", "pgoff", "flags", "explain"),
            "unmapped_area", ImmutableSet.of("id", "op", "mm", "vmas", "info"),
            "aligned", ImmutableSet.of("id", "op", "mm", "vmas", "addr", "len", "off", "flags", "size", "explain"),
            "fault", ImmutableSet.of("id", "op", "mm", "file", "vm_start", "vm_end", "pgoff", "addr", "huge_allowed"));

    /** The members of {@code "file": {"vfio_pci": {...}}}. */
    public static final ImmutableSet<String> VFIO_MEMBERS = ImmutableSet.of("bars", "policy", "huge_pfnmap");

    /** The members of a BAR of {@code "vfio_pci"}. */
    public static final ImmutableSet<String> BAR_MEMBERS = ImmutableSet.of("index", "size", "flags");

    /**
     * The region flags a BAR takes (VFIO_REGION_INFO_FLAG_MMAP; PCI_BASE_ADDRESS_MEM_TYPE_64 and
     * PREFETCH, which placement does not read). Without {@code "flags"} a BAR is mmap-able.
     */
    public static final ImmutableSet<String> BAR_FLAGS = ImmutableSet.of("mmap", "mem64", "prefetch");

    /** The members of {@code "mm"}. */
    public static final ImmutableSet<String> MM_MEMBERS = ImmutableSet.of("arch", "layout", "stack_rlimit",
            "task_size", "task_size_max", "default_map_window", "mmap_base", "legacy_base", "mmap_min_addr",
            "dac_mmap_min_addr", "stack_guard_gap", "cap_sys_rawio", "thp", "shmem_huge_size");

    /** The members of {@code "info"} (struct vm_unmapped_area_info). */
    public static final ImmutableSet<String> INFO_MEMBERS = ImmutableSet.of("flags", "length", "low_limit",
            "high_limit", "align_mask", "align_offset", "start_gap");

    private static final ImmutableSet<String> VMA_MEMBERS = ImmutableSet.of("start", "end", "flags");

    private static final String U64_RULE = "must be a u64: a string \"0x\" with 1 to 16 hex digits, "
            + "or a JSON integer in [0, 2^64-1]";

    /** The configuration of a request without {@code "mm"}: x86_64, top-down, as on these machines. */
    public static final MmConfig DEFAULT_CONFIG = MmConfig.x86_64();

    /** The configuration of a request without {@code "mm"} or {@code "mm.arch"}. */
    public static final ArchConfig DEFAULT_ARCH = Arch.X86_64.config();

    private ArchConfig decodedArch;
    private final JsonReader reader = new JsonReader().memoize("mm", "vmas").recover("id");
    private Json lastMm;
    private MmConfig lastConfig;
    private ArchConfig lastArch;
    private Json lastVmas;
    private MmConfig lastSpaceConfig;
    private AddressSpace lastSpace;
    private MmConfig lastEmptyConfig;
    private AddressSpace lastEmpty;

    /** Decodes one line (UTF-8, without its newline). */
    public Request parse(byte[] line, int off, int end) {
        Json v;
        try {
            v = reader.read(line, off, end);
        } catch (JsonSyntaxException e) {
            if (e.getMessage().startsWith("no JSON value")) {
                throw new InvalidRequestException(null, "line", "empty: a request is one JSON object per line");
            }
            throw new InvalidRequestException(reader.recovered(), "line", "not JSON: " + e.getMessage());
        }
        return decode(v, reader.recovered());
    }

    public Request parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return parse(b, 0, b.length);
    }

    /** The id (JSON source text) of the last line read, if it got that far, else null. */
    public String lastId() {
        return reader.recovered();
    }

    /**
     * Decodes a parsed request. {@code idText} is the id's source text to echo; null: the id's
     * value written compactly.
     */
    public Request decode(Json value, String idText) {
        if (!(value instanceof Json.Obj o)) {
            throw new InvalidRequestException(null, "line", "must be a JSON object, got " + value.typeName());
        }
        Json idv = o.get("id");
        if (idv instanceof Json.Obj || idv instanceof Json.Arr) {
            throw new InvalidRequestException(null, "id",
                    "must be a JSON scalar (string, number, true, false or null), got " + idv.typeName());
        }
        String id = idv == null ? "null" : idText != null ? idText : idv.toJson();
        Json opv = o.get("op");
        if (opv == null) {
            throw new InvalidRequestException(id, "op", "required: one of " + String.join(", ", OPS.keySet()));
        }
        String op = string(opv, "op", id);
        ImmutableSet<String> members = OPS.get(op);
        if (members == null) {
            throw new InvalidRequestException(id, "op", "unknown op " + quote(op) + "; known: "
                    + String.join(", ", OPS.keySet()));
        }
        for (int i = 0; i < o.size(); i++) {
            if (!members.contains(o.name(i))) {
                throw new InvalidRequestException(id, o.name(i), "unknown member for op " + quote(op)
                        + "; known: " + String.join(", ", members));
            }
        }
        MmConfig config = config(o.get("mm"), id);
        ArchConfig arch = o.get("mm") == null ? DEFAULT_ARCH : lastArch;
        AddressSpace space = space(o.get("vmas"), config, id);
        switch (op) {
            case "mmap":
                return mmap(o, id, space, arch);
            case "fault":
                return fault(o, id, space, arch);
            case "aligned":
                return aligned(o, id, space);
            default:
                return unmappedArea(o, id, space);
        }
    }

    // ---- op "mmap" ----

    private Request mmap(Json.Obj o, String id, AddressSpace space, ArchConfig arch) {
        Json filev = o.get("file");
        FileKind file = null;
        if (filev instanceof Json.Obj) {
            return vfioMmap(o, id, space, arch);
        }
        if (filev != null) {
            String f = string(filev, "file", id);
            file = FILE_KINDS.get(f);
            if (file == null) {
                throw new InvalidRequestException(id, "file", "unknown kind " + quote(f) + "; known: "
                        + String.join(", ", FILE_KINDS.keySet()) + ", {\"vfio_pci\": {...}}");
            }
        }
        long addr = u64(o, "addr", 0, id);
        long len = requiredLen(o, id);
        long pgoff = u64(o, "pgoff", 0, id);
        long flags = requiredFlags(o, id);
        boolean explain = bool(o, "explain", false, id);
        boolean anonymous = MapFlags.has(flags, MapFlags.MAP_ANONYMOUS);
        if (file == null) {
            if (!anonymous) {
                throw new InvalidRequestException(id, "file", "required unless flags has MAP_ANONYMOUS: one of "
                        + String.join(", ", FILE_KINDS.keySet()));
            }
            file = FileKind.ANON;
        } else if (anonymous && file != FileKind.ANON) {
            throw new InvalidRequestException(id, "file", quote(filev instanceof Json.Str s ? s.value() : "?")
                    + " with MAP_ANONYMOUS: the kernel maps anonymous memory and ignores the file; use \"anon\" "
                    + "or drop MAP_ANONYMOUS");
        } else if (!anonymous && file == FileKind.ANON) {
            throw new InvalidRequestException(id, "flags", "file \"anon\" needs MAP_ANONYMOUS");
        }
        if ((flags & 3) == MapFlags.MAP_SHARED_VALIDATE) {
            if (anonymous) {
                throw new InvalidRequestException(id, "flags", "MAP_SHARED_VALIDATE with MAP_ANONYMOUS: do_mmap "
                        + "refuses it with EINVAL after the search, a check the model leaves out");
            }
            if (MapFlags.has(flags, MapFlags.MAP_FIXED_NOREPLACE)) {
                throw new InvalidRequestException(id, "flags", "MAP_SHARED_VALIDATE with MAP_FIXED_NOREPLACE: "
                        + "do_mmap refuses it with EOPNOTSUPP after the search (not in LEGACY_MAP_MASK), a check "
                        + "the model leaves out");
            }
        }
        return new Request.Mmap(id, space, new MmapRequest(addr, len, pgoff, flags, file), explain);
    }

    private long mapFlags(Json v, String id) {
        if (!(v instanceof Json.Arr a)) {
            throw new InvalidRequestException(id, "flags", "must be an array of MAP_* names, got " + v.typeName());
        }
        long flags = 0;
        int types = 0;
        for (int i = 0; i < a.size(); i++) {
            String field = "flags[" + i + "]";
            String name = string(a.get(i), field, id);
            Long bit = MAP_FLAGS.get(name);
            if (bit == null) {
                throw new InvalidRequestException(id, field, "unknown flag " + quote(name) + "; known: "
                        + String.join(", ", MAP_FLAGS.keySet()));
            }
            for (int j = 0; j < i; j++) {
                if (a.get(j) instanceof Json.Str s && s.value().equals(name)) {
                    throw new InvalidRequestException(id, field, quote(name) + " is given twice");
                }
            }
            if (bit <= MapFlags.MAP_SHARED_VALIDATE) {
                types++;
            }
            flags |= bit;
        }
        if (types != 1) {
            throw new InvalidRequestException(id, "flags", "needs exactly one of MAP_SHARED, MAP_PRIVATE, "
                    + "MAP_SHARED_VALIDATE (do_mmap refuses other mapping types with EINVAL after the search, "
                    + "a check the model leaves out)");
        }
        return flags;
    }

    /** The request's {@code len}: required, a u64. */
    private static long requiredLen(Json.Obj o, String id) {
        Json lenv = o.get("len");
        if (lenv == null) {
            throw new InvalidRequestException(id, "len", "required");
        }
        return u64(lenv, "len", id);
    }

    /** The request's {@code flags}: required, MAP_* names. */
    private long requiredFlags(Json.Obj o, String id) {
        Json flagsv = o.get("flags");
        if (flagsv == null) {
            throw new InvalidRequestException(id, "flags", "required: MAP_* names, with one of MAP_SHARED, "
                    + "MAP_PRIVATE, MAP_SHARED_VALIDATE");
        }
        return mapFlags(flagsv, id);
    }

    // ---- "file": {"vfio_pci": ...} ----

    private Request vfioMmap(Json.Obj o, String id, AddressSpace space, ArchConfig arch) {
        Vfio v = vfio(o.get("file"), id, arch, true);
        long addr = u64(o, "addr", 0, id);
        long len = requiredLen(o, id);
        long pgoff = u64(o, "pgoff", 0, id);
        long flags = requiredFlags(o, id);
        boolean explain = bool(o, "explain", false, id);
        if (MapFlags.has(flags, MapFlags.MAP_ANONYMOUS)) {
            throw new InvalidRequestException(id, "flags", "MAP_ANONYMOUS with a vfio_pci file: the kernel maps "
                    + "anonymous memory and ignores the file; drop MAP_ANONYMOUS");
        }
        if ((flags & 3) == MapFlags.MAP_SHARED_VALIDATE && MapFlags.has(flags, MapFlags.MAP_FIXED_NOREPLACE)) {
            throw new InvalidRequestException(id, "flags", "MAP_SHARED_VALIDATE with MAP_FIXED_NOREPLACE: do_mmap "
                    + "refuses it with EOPNOTSUPP after the search (not in LEGACY_MAP_MASK), a check the model "
                    + "leaves out");
        }
        return new Request.VfioMmap(id, space, v.arch, v.device, v.policy,
                new MmapRequest(addr, len, pgoff, flags, FileKind.PLAIN_DEVICE), explain);
    }

    /** A decoded {@code {"vfio_pci": ...}}: the device, the design, the configuration it runs on. */
    private record Vfio(VfioDevice device, VfioPolicy policy, ArchConfig arch) {
    }

    private static Vfio vfio(Json filev, String id, ArchConfig arch0, boolean policyAllowed) {
        if (filev == null) {
            throw new InvalidRequestException(id, "file", "required: {\"vfio_pci\": {\"bars\": [...]}}");
        }
        Json.Obj fo = object(filev, "file", id);
        if (fo.size() != 1 || !fo.name(0).equals("vfio_pci")) {
            throw new InvalidRequestException(id, "file", "an object must be {\"vfio_pci\": {...}} and nothing "
                    + "else, got member " + quote(fo.size() == 0 ? "" : fo.name(fo.size() == 1 ? 0 : 1)));
        }
        String at = "file.vfio_pci";
        Json.Obj vo = object(fo.value(0), at, id);
        for (int i = 0; i < vo.size(); i++) {
            if (!VFIO_MEMBERS.contains(vo.name(i)) || !policyAllowed && vo.name(i).equals("policy")) {
                throw new InvalidRequestException(id, at + "." + vo.name(i), "unknown member; known: "
                        + (policyAllowed ? String.join(", ", VFIO_MEMBERS) : "bars, huge_pfnmap"));
            }
        }
        VfioPolicy policy = VfioPolicy.NONE;
        Json pv = vo.get("policy");
        if (pv != null) {
            String p = string(pv, at + ".policy", id);
            policy = VfioPolicy.byId(p).orElseThrow(() -> new InvalidRequestException(id, at + ".policy",
                    "unknown design " + quote(p) + "; known: " + policyIds()));
        }
        ArchConfig arch = bool(vo, "huge_pfnmap", true, at + ".", id) ? arch0 : arch0.withoutHugePfnmap();
        Json bv = vo.get("bars");
        if (bv == null) {
            throw new InvalidRequestException(id, at + ".bars", "required: [{\"index\": 0-5, \"size\": u64}, ...]");
        }
        if (!(bv instanceof Json.Arr bars)) {
            throw new InvalidRequestException(id, at + ".bars", "must be an array of {\"index\", \"size\", "
                    + "\"flags\"} objects, got " + bv.typeName());
        }
        List<VfioRegion> regions = new ArrayList<>();
        boolean[] seen = new boolean[VfioPciOffset.ROM];
        for (int i = 0; i < bars.size(); i++) {
            String bat = at + ".bars[" + i + "]";
            Json.Obj b = object(bars.get(i), bat, id);
            for (int k = 0; k < b.size(); k++) {
                if (!BAR_MEMBERS.contains(b.name(k))) {
                    throw new InvalidRequestException(id, bat + "." + b.name(k), "unknown member; known: "
                            + String.join(", ", BAR_MEMBERS));
                }
            }
            long index = required(b, "index", bat + ".", id);
            if (index < 0 || index >= VfioPciOffset.ROM) {
                throw new InvalidRequestException(id, bat + ".index", "must be a BAR index, 0 to 5, got "
                        + Long.toUnsignedString(index));
            }
            if (seen[(int) index]) {
                throw new InvalidRequestException(id, bat + ".index", "BAR " + index + " is given twice");
            }
            seen[(int) index] = true;
            long size = required(b, "size", bat + ".", id);
            if (size <= 0 || Long.bitCount(size) != 1 || size > VfioRegion.MAX_BAR_SIZE) {
                throw new InvalidRequestException(id, bat + ".size", "must be a power of two in [1, 2^62] (PCI "
                        + "BARs are naturally sized), got " + Hex.of(size));
            }
            boolean mmap = true;
            Json fv = b.get("flags");
            if (fv != null) {
                if (!(fv instanceof Json.Arr fa)) {
                    throw new InvalidRequestException(id, bat + ".flags", "must be an array of "
                            + String.join(", ", BAR_FLAGS) + ", got " + fv.typeName());
                }
                Set<String> names = new java.util.HashSet<>();
                for (int k = 0; k < fa.size(); k++) {
                    String ff = bat + ".flags[" + k + "]";
                    String name = string(fa.get(k), ff, id);
                    if (!BAR_FLAGS.contains(name)) {
                        throw new InvalidRequestException(id, ff, "unknown flag " + quote(name) + "; known: "
                                + String.join(", ", BAR_FLAGS));
                    }
                    if (!names.add(name)) {
                        throw new InvalidRequestException(id, ff, quote(name) + " is given twice");
                    }
                }
                mmap = names.contains("mmap");
            }
            regions.add(VfioRegion.bar((int) index, size, mmap));
        }
        try {
            return new Vfio(VfioDevice.of(regions), policy, arch);
        } catch (InvalidInputException e) {
            throw new InvalidRequestException(id, at + ".bars", e.rule());
        }
    }

    private static String policyIds() {
        List<String> ids = new ArrayList<>();
        for (VfioPolicy p : VfioPolicy.values()) {
            ids.add(p.id());
        }
        return String.join(", ", ids);
    }

    // ---- op "aligned" ----

    private Request aligned(Json.Obj o, String id, AddressSpace space) {
        long page = space.config().pageSize();
        long addr = u64(o, "addr", 0, id);
        long len = required(o, "len", "", id);
        long off = u64(o, "off", 0, id);
        long size = required(o, "size", "", id);
        Json flagsv = o.get("flags");
        long flags = flagsv == null ? MapFlags.MAP_PRIVATE | MapFlags.MAP_ANONYMOUS : mapFlags(flagsv, id);
        boolean explain = bool(o, "explain", false, id);
        if (len == 0 || len % page != 0) {
            throw new InvalidRequestException(id, "len", "must be a non-zero multiple of PAGE_SIZE (" + Hex.of(page)
                    + "), as do_mmap passes it, got " + Hex.of(len));
        }
        if (size <= 0 || Long.bitCount(size) != 1 || size > (1L << 62) || size < page) {
            throw new InvalidRequestException(id, "size", "must be a power of two in [PAGE_SIZE, 2^62], got "
                    + Hex.of(size));
        }
        if (addr % page != 0) {
            throw new InvalidRequestException(id, "addr", "must be a multiple of PAGE_SIZE (" + Hex.of(page)
                    + "), as do_mmap passes the hint, got " + Hex.of(addr));
        }
        return new Request.Aligned(id, space, addr, len, off, flags, size, explain);
    }

    // ---- op "fault" ----

    private Request fault(Json.Obj o, String id, AddressSpace space, ArchConfig arch0) {
        Vfio v = vfio(o.get("file"), id, arch0, false);
        long page = space.config().pageSize();
        long start = required(o, "vm_start", "", id);
        long end = required(o, "vm_end", "", id);
        long pgoff = u64(o, "pgoff", 0, id);
        long addr = required(o, "addr", "", id);
        boolean huge = bool(o, "huge_allowed", true, id);
        if (start % page != 0 || end % page != 0) {
            throw new InvalidRequestException(id, start % page != 0 ? "vm_start" : "vm_end", "must be a multiple of "
                    + "PAGE_SIZE (" + Hex.of(page) + ")");
        }
        if (Long.compareUnsigned(start, end) >= 0) {
            throw new InvalidRequestException(id, "vm_end", "must be above vm_start");
        }
        if (Long.compareUnsigned(addr, start) < 0 || Long.compareUnsigned(addr, end) >= 0) {
            throw new InvalidRequestException(id, "addr", "must lie in [vm_start, vm_end)");
        }
        if (VfioMmapCheck.check(v.device, page, pgoff, start, end, true) != 0) {
            throw new InvalidRequestException(id, "pgoff", "vfio_pci_core_mmap refuses this VMA (EINVAL: the region "
                    + "is absent, not mmap-able, or the VMA reaches past it), so no fault can happen in it");
        }
        return new Request.Fault(id, space, v.arch, v.device, pgoff, start, end, addr, huge);
    }

    // ---- op "unmapped_area" ----

    private Request unmappedArea(Json.Obj o, String id, AddressSpace space) {
        Json infov = o.get("info");
        if (infov == null) {
            throw new InvalidRequestException(id, "info", "required: {\"flags\", \"length\", \"low_limit\", "
                    + "\"high_limit\", \"align_mask\", \"align_offset\", \"start_gap\"}");
        }
        Json.Obj info = object(infov, "info", id);
        for (int i = 0; i < info.size(); i++) {
            if (!INFO_MEMBERS.contains(info.name(i))) {
                throw new InvalidRequestException(id, "info." + info.name(i), "unknown member; known: "
                        + String.join(", ", INFO_MEMBERS));
            }
        }
        boolean topdown = false;
        Json fv = info.get("flags");
        if (fv != null) {
            if (!(fv instanceof Json.Arr a)) {
                throw new InvalidRequestException(id, "info.flags", "must be an array: [] or [\"topdown\"], got "
                        + fv.typeName());
            }
            for (int i = 0; i < a.size(); i++) {
                String f = string(a.get(i), "info.flags[" + i + "]", id);
                if (!f.equals("topdown")) {
                    throw new InvalidRequestException(id, "info.flags[" + i + "]", "unknown flag " + quote(f)
                            + "; known: topdown (VM_UNMAPPED_AREA_TOPDOWN)");
                }
                if (topdown) {
                    throw new InvalidRequestException(id, "info.flags[" + i + "]", "\"topdown\" is given twice");
                }
                topdown = true;
            }
        }
        long length = required(info, "length", "info.", id);
        if (length == 0) {
            throw new InvalidRequestException(id, "info.length", Mmap.LENGTH_RULE);
        }
        long low = required(info, "low_limit", "info.", id);
        long high = required(info, "high_limit", "info.", id);
        long mask = u64(info, "align_mask", 0, "info.", id);
        long offset = u64(info, "align_offset", 0, "info.", id);
        long startGap = u64(info, "start_gap", 0, "info.", id);
        if (Long.compareUnsigned(startGap, MmConfig.MAX_BOUND) > 0) {
            throw new InvalidRequestException(id, "info.start_gap", Mmap.START_GAP_RULE + ", got "
                    + Hex.of(startGap));
        }
        if (mask < 0 || Long.bitCount(mask + 1) != 1 || mask >= (1L << 62)) {
            throw new InvalidRequestException(id, "info.align_mask", "must be 2^k - 1 with k <= 62 (the masks the "
                    + "kernel passes), got " + Hex.of(mask));
        }
        return new Request.UnmappedArea(id, space, topdown, length, low, high, mask, offset, startGap);
    }

    // ---- "mm" and "vmas" ----

    private MmConfig config(Json v, String id) {
        if (v == null) {
            return DEFAULT_CONFIG;
        }
        if (v == lastMm) {
            return lastConfig;
        }
        MmConfig c = decodeConfig(object(v, "mm", id), id);
        lastArch = decodedArch;
        lastMm = v;
        lastConfig = c;
        return c;
    }

    private MmConfig decodeConfig(Json.Obj mm, String id) {
        for (int i = 0; i < mm.size(); i++) {
            if (!MM_MEMBERS.contains(mm.name(i))) {
                throw new InvalidRequestException(id, "mm." + mm.name(i), "unknown member; known: "
                        + String.join(", ", MM_MEMBERS));
            }
        }
        ArchConfig arch = Arch.X86_64.config();
        Json av = mm.get("arch");
        if (av != null) {
            String a = string(av, "mm.arch", id);
            arch = Arch.byId(a).orElseThrow(() -> new InvalidRequestException(id, "mm.arch", "unknown configuration "
                    + quote(a) + "; the search is modelled for " + String.join(", ", searchArchIds())));
            if (arch.search().isEmpty()) {
                throw new InvalidRequestException(id, "mm.arch", quote(a) + " has leaf sizes only; the search is "
                        + "modelled for " + String.join(", ", searchArchIds()));
            }
        }
        boolean topdown = true;
        Json lv = mm.get("layout");
        if (lv != null) {
            String l = string(lv, "mm.layout", id);
            if (!l.equals("topdown") && !l.equals("legacy")) {
                throw new InvalidRequestException(id, "mm.layout", "must be \"topdown\" or \"legacy\", got "
                        + quote(l));
            }
            topdown = l.equals("topdown");
        }
        Search s = arch.search().orElseThrow();
        long page = arch.pageSize();
        long minDefault = MmConfig.defaultMmapMinAddr(arch);
        long dacDefault = MmConfig.defaultDacMmapMinAddr(arch);
        long rlimit = u64(mm, "stack_rlimit", MmConfig.DEFAULT_STACK_RLIMIT, "mm.", id);
        MmConfig base = MmConfig.forArch(arch, topdown, rlimit, minDefault, dacDefault);
        long gap = pageMultiple(mm, "stack_guard_gap", base.stackGuardGap(), page, id);
        long window = pageMultiple(mm, "default_map_window", base.defaultMapWindow(), page, id);
        long mmapBase = pageMultiple(mm, "mmap_base", Layout.mmapBase(window, rlimit, gap, page), page, id);
        long legacyBase = pageMultiple(mm, "legacy_base", MmConfig.legacyBase(s.kind(), window, page), page, id);
        long taskSize = pageMultiple(mm, "task_size", base.taskSize(), page, id);
        long taskSizeMax = pageMultiple(mm, "task_size_max", base.taskSizeMax(), page, id);
        long min = u64(mm, "mmap_min_addr", minDefault, "mm.", id);
        long dac = u64(mm, "dac_mmap_min_addr", dacDefault, "mm.", id);
        boolean cap = bool(mm, "cap_sys_rawio", base.capSysRawio(), "mm.", id);
        boolean thp = bool(mm, "thp", base.thp(), "mm.", id);
        long shmemHuge = u64(mm, "shmem_huge_size", base.shmemHugeSize(), "mm.", id);
        // what a kernel can be set to: off, or one of shmem's THP sizes (two pages up to PMD_SIZE)
        if (shmemHuge != 0 && (Long.bitCount(shmemHuge) != 1 || Long.compareUnsigned(shmemHuge, page) <= 0
                || Long.compareUnsigned(shmemHuge, base.pmdSize()) > 0)) {
            throw new InvalidRequestException(id, "mm.shmem_huge_size", "must be 0 (shmem huge pages off) or a "
                    + "power of two from 2 pages to PMD_SIZE (" + Hex.of(2 * page) + " to " + Hex.of(base.pmdSize())
                    + "), got " + Hex.of(shmemHuge));
        }
        decodedArch = arch;
        try {
            return new MmConfig(base.arch(), page, base.pmdSize(), taskSize, taskSizeMax, window, mmapBase,
                    legacyBase, min, dac, gap, topdown, thp, cap, shmemHuge);
        } catch (InvalidInputException e) {
            throw new InvalidRequestException(id, "mm." + e.field(), e.rule());
        }
    }

    private static List<String> searchArchIds() {
        List<String> ids = new ArrayList<>();
        for (Arch a : Arch.values()) {
            if (a.config().search().isPresent()) {
                ids.add(a.config().id());
            }
        }
        return ids;
    }

    private AddressSpace space(Json v, MmConfig config, String id) {
        if (v == null) {
            if (config != lastEmptyConfig) {
                lastEmpty = AddressSpace.of(config, List.of());
                lastEmptyConfig = config;
            }
            return lastEmpty;
        }
        if (v == lastVmas && config == lastSpaceConfig) {
            return lastSpace;
        }
        List<Vma> vmas = vmas(v, config, id);
        AddressSpace as;
        try {
            as = AddressSpace.of(config, vmas);
        } catch (InvalidInputException e) {
            throw new InvalidRequestException(id, e.field(), e.rule());
        }
        lastVmas = v;
        lastSpaceConfig = config;
        lastSpace = as;
        return as;
    }

    private static List<Vma> vmas(Json v, MmConfig config, String id) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof Json.Arr a)) {
            throw new InvalidRequestException(id, "vmas", "must be an array of {\"start\", \"end\", \"flags\"} "
                    + "objects, got " + v.typeName());
        }
        long page = config.pageSize();
        List<Vma> out = new ArrayList<>(a.size());
        long prevEnd = 0;
        for (int i = 0; i < a.size(); i++) {
            String at = "vmas[" + i + "]";
            Json.Obj vo = object(a.get(i), at, id);
            for (int k = 0; k < vo.size(); k++) {
                if (!VMA_MEMBERS.contains(vo.name(k))) {
                    throw new InvalidRequestException(id, at + "." + vo.name(k), "unknown member; known: start, "
                            + "end, flags");
                }
            }
            long start = required(vo, "start", at + ".", id);
            long end = required(vo, "end", at + ".", id);
            if (start % page != 0) {
                throw new InvalidRequestException(id, at + ".start", "must be a multiple of PAGE_SIZE ("
                        + Hex.of(page) + "), got " + Hex.of(start));
            }
            if (end % page != 0) {
                throw new InvalidRequestException(id, at + ".end", "must be a multiple of PAGE_SIZE ("
                        + Hex.of(page) + "), got " + Hex.of(end));
            }
            if (Long.compareUnsigned(start, end) >= 0) {
                throw new InvalidRequestException(id, at, "start " + Hex.of(start) + " must be below end "
                        + Hex.of(end));
            }
            if (Long.compareUnsigned(end, config.taskSizeMax()) > 0) {
                throw new InvalidRequestException(id, at + ".end", "must be at most task_size_max ("
                        + Hex.of(config.taskSizeMax()) + "): the kernel keeps every VMA below TASK_SIZE, and the "
                        + "search ends on every input only then; got " + Hex.of(end));
            }
            if (i > 0 && Long.compareUnsigned(prevEnd, start) > 0) {
                throw new InvalidRequestException(id, at, "must be sorted and disjoint: starts at " + Hex.of(start)
                        + ", below the end " + Hex.of(prevEnd) + " of vmas[" + (i - 1) + "]");
            }
            prevEnd = end;
            Set<VmaFlag> flags = EnumSet.noneOf(VmaFlag.class);
            Json fv = vo.get("flags");
            if (fv != null) {
                if (!(fv instanceof Json.Arr fa)) {
                    throw new InvalidRequestException(id, at + ".flags", "must be an array of "
                            + String.join(", ", VMA_FLAGS.keySet()) + ", got " + fv.typeName());
                }
                for (int k = 0; k < fa.size(); k++) {
                    String ff = at + ".flags[" + k + "]";
                    String name = string(fa.get(k), ff, id);
                    VmaFlag f = VMA_FLAGS.get(name);
                    if (f == null) {
                        throw new InvalidRequestException(id, ff, "unknown flag " + quote(name) + "; known: "
                                + String.join(", ", VMA_FLAGS.keySet()));
                    }
                    if (!flags.add(f)) {
                        throw new InvalidRequestException(id, ff, quote(name) + " is given twice");
                    }
                }
            }
            out.add(new Vma(start, end, ImmutableSet.copyOf(flags)));
        }
        return out;
    }

    // ---- fields ----

    private static long required(Json.Obj o, String name, String prefix, String id) {
        Json v = o.get(name);
        if (v == null) {
            throw new InvalidRequestException(id, prefix + name, "required");
        }
        return u64(v, prefix + name, id);
    }

    private static long u64(Json.Obj o, String name, long dflt, String id) {
        return u64(o, name, dflt, "", id);
    }

    private static long u64(Json.Obj o, String name, long dflt, String prefix, String id) {
        Json v = o.get(name);
        return v == null ? dflt : u64(v, prefix + name, id);
    }

    private static long pageMultiple(Json.Obj mm, String name, long dflt, long page, String id) {
        long v = u64(mm, name, dflt, "mm.", id);
        if (v % page != 0) {
            throw new InvalidRequestException(id, "mm." + name, "must be a multiple of PAGE_SIZE (" + Hex.of(page)
                    + "), got " + Hex.of(v));
        }
        return v;
    }

    /**
     * A u64 field: a string {@code "0x"} (or {@code "0X"}) with 1 to 16 hex digits of either case,
     * or a JSON number that is an integer (no fraction, no exponent, no minus sign) at most
     * 2^64-1. Nothing else: no decimal strings, no {@code -0}.
     */
    public static long u64(Json v, String field, String id) {
        if (v instanceof Json.Str s) {
            String t = s.value();
            int n = t.length();
            if (n >= 3 && n <= 18 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')) {
                long r = 0;
                for (int i = 2; i < n; i++) {
                    int d = hexDigit(t.charAt(i));
                    if (d < 0) {
                        throw new InvalidRequestException(id, field, U64_RULE + ", got " + shortQuote(t));
                    }
                    r = (r << 4) | d;
                }
                return r;
            }
            throw new InvalidRequestException(id, field, U64_RULE + ", got " + shortQuote(t));
        }
        if (v instanceof Json.Num num) {
            String t = num.literal();
            if (t.charAt(0) == '-') {
                throw new InvalidRequestException(id, field, "must not be negative (a u64), got " + shortText(t));
            }
            if (!num.isInteger()) {
                throw new InvalidRequestException(id, field, "must be an integer: no fraction or exponent (a u64), "
                        + "got " + shortText(t));
            }
            if (t.length() > 20) {
                throw new InvalidRequestException(id, field, "exceeds 2^64-1, got " + shortText(t));
            }
            try {
                return Long.parseUnsignedLong(t);
            } catch (NumberFormatException e) {
                throw new InvalidRequestException(id, field, "exceeds 2^64-1, got " + shortText(t));
            }
        }
        throw new InvalidRequestException(id, field, U64_RULE + ", got " + v.typeName());
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean bool(Json.Obj o, String name, boolean dflt, String id) {
        return bool(o, name, dflt, "", id);
    }

    private static boolean bool(Json.Obj o, String name, boolean dflt, String prefix, String id) {
        Json v = o.get(name);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Json.Bool b)) {
            throw new InvalidRequestException(id, prefix + name, "must be true or false, got " + v.typeName());
        }
        return b.value();
    }

    private static String string(Json v, String field, String id) {
        if (!(v instanceof Json.Str s)) {
            throw new InvalidRequestException(id, field, "must be a string, got " + v.typeName());
        }
        return s.value();
    }

    private static Json.Obj object(Json v, String field, String id) {
        if (!(v instanceof Json.Obj o)) {
            throw new InvalidRequestException(id, field, "must be an object, got " + v.typeName());
        }
        return o;
    }

    private static String quote(String s) {
        return shortQuote(s);
    }

    /** A value quoted for a message, cut at 40 characters. */
    private static String shortQuote(String s) {
        return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }

    private static String shortText(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
