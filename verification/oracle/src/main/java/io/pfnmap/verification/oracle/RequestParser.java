package io.pfnmap.verification.oracle;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.FileKind;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.VmaFlag;
import io.pfnmap.mm.core.Hugetlb;
import io.pfnmap.mm.core.MapFlags;
import java.nio.charset.StandardCharsets;

/**
 * The protocol's request decoder (docs/oracle.md): one line of JSON in (ops {@code mmap},
 * {@code unmapped_area}, {@code aligned}, {@code fault}, and the sessions' {@code space} and
 * {@code munmap}, {@link Sessions}; files anonymous, regular, device or
 * {@code {"vfio_pci": ...}}), a {@link Request} over the model's records out, or an {@link
 * InvalidRequestException} naming the field and the rule. It checks everything the model's API
 * would refuse and the combinations the model does not decide, so that a valid request always has
 * a model answer: {@link LineParser} reads the JSON, the members every op shares go to {@link
 * SpaceDecoder}, the rest to the op's own decoder.
 *
 * <p>A stream that repeats the same {@code "mm"} and {@code "vmas"} bytes line after line (the
 * common case for a harness) has them read and decoded once. Not thread-safe; one per stream.
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
            .put("MAP_HUGETLB", Hugetlb.MAP_HUGETLB)
            // MAP_HUGE_* (include/uapi/linux/mman.h): the hstate's size log in bits 26..31
            .put("MAP_HUGE_16KB", 14L << 26).put("MAP_HUGE_64KB", 16L << 26).put("MAP_HUGE_512KB", 19L << 26)
            .put("MAP_HUGE_1MB", 20L << 26).put("MAP_HUGE_2MB", 21L << 26).put("MAP_HUGE_8MB", 23L << 26)
            .put("MAP_HUGE_16MB", 24L << 26).put("MAP_HUGE_32MB", 25L << 26).put("MAP_HUGE_256MB", 28L << 26)
            .put("MAP_HUGE_512MB", 29L << 26).put("MAP_HUGE_1GB", 30L << 26).put("MAP_HUGE_2GB", 31L << 26)
            .put("MAP_HUGE_16GB", 34L << 26)
            .build();

    /** The values of {@code "file"}. */
    public static final ImmutableMap<String, FileKind> FILE_KINDS = ImmutableMap.of(
            "anon", FileKind.ANON, "thp_file", FileKind.THP_FILE, "plain_file", FileKind.PLAIN_FILE,
            "device", FileKind.PLAIN_DEVICE, "dev_zero", FileKind.DEV_ZERO);

    /** The values of a VMA's {@code "flags"}. */
    public static final ImmutableMap<String, VmaFlag> VMA_FLAGS = ImmutableMap.of(
            "growsdown", VmaFlag.GROWSDOWN, "growsup", VmaFlag.GROWSUP, "shadow_stack", VmaFlag.SHADOW_STACK);

    /** The ops and their members. */
    public static final ImmutableMap<String, ImmutableSet<String>> OPS = ImmutableMap.of(
            "mmap", ImmutableSet.of("id", "op", "mm", "vmas", "space", "file", "addr", "len", "pgoff", "flags",
                    "explain", "apply", "profile", "touch", "seed"),
            "unmapped_area", ImmutableSet.of("id", "op", "mm", "vmas", "space", "info"),
            "aligned", ImmutableSet.of("id", "op", "mm", "vmas", "space", "addr", "len", "off", "flags", "size",
                    "explain"),
            "fault", ImmutableSet.of("id", "op", "mm", "space", "file", "vm_start", "vm_end", "pgoff", "addr",
                    "huge_allowed"),
            "space", Sessions.SPACE_MEMBERS,
            "munmap", Sessions.MUNMAP_MEMBERS);

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
            "dac_mmap_min_addr", "stack_guard_gap", "cap_sys_rawio", "thp", "shmem_huge_size", "shmem_enabled",
            "hugetlb_sizes", "hugepages_available", "kernel", "va_align");

    /** The members of {@code "info"} (struct vm_unmapped_area_info). */
    public static final ImmutableSet<String> INFO_MEMBERS = ImmutableSet.of("flags", "length", "low_limit",
            "high_limit", "align_mask", "align_offset", "start_gap");

    /** The configuration of a request without {@code "mm"}: x86_64, top-down, as on these machines. */
    public static final MmConfig DEFAULT_CONFIG = MmConfig.x86_64();

    /** The configuration of a request without {@code "mm"} or {@code "mm.arch"}. */
    public static final ArchConfig DEFAULT_ARCH = Arch.X86_64.config();

    private final LineParser lines = new LineParser();
    private final SpaceDecoder spaces = new SpaceDecoder();
    private final Sessions sessions = new Sessions();

    /** Decodes one line (UTF-8, without its newline). */
    public Request parse(byte[] line, int off, int end) {
        return decode(lines.read(line, off, end), lines.id());
    }

    public Request parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return parse(b, 0, b.length);
    }

    /** The stream's named spaces, which the {@link Oracle} edits after answering. */
    Sessions sessions() {
        return sessions;
    }

    /** The id (JSON source text) of the last line read, if it got that far, else null. */
    public String lastId() {
        return lines.id();
    }

    /** Decodes a parsed request; {@code idText} is the id's source text, to echo. */
    private Request decode(Node value, String idText) {
        if (!value.is(Node.Kind.OBJECT)) {
            throw new InvalidRequestException(null, "line", "must be a JSON object, got " + value.typeName());
        }
        Node idv = value.get("id");
        if (idv != null && (idv.is(Node.Kind.OBJECT) || idv.is(Node.Kind.ARRAY))) {
            throw new InvalidRequestException(null, "id",
                    "must be a JSON scalar (string, number, true, false or null), got " + idv.typeName());
        }
        Fields f = new Fields(idv == null ? "null" : idText, "", value);
        Node opv = f.get("op");
        if (opv == null) {
            throw f.invalid("op", "required: one of " + String.join(", ", OPS.keySet()));
        }
        String op = f.string(opv, "op");
        ImmutableSet<String> members = OPS.get(op);
        if (members == null) {
            throw f.invalid("op", "unknown op " + Fields.quote(op) + "; known: " + String.join(", ", OPS.keySet()));
        }
        f.onlyKnown(members, "unknown member for op " + Fields.quote(op) + "; known: ");
        if (op.equals("space")) {
            return sessions.decodeSpace(f, spaces);
        }
        if (op.equals("munmap")) {
            return sessions.decodeMunmap(f);
        }
        Sessions.Session named = sessions.named(f);
        ArchConfig arch;
        AddressSpace space;
        if (named != null) {
            arch = named.arch();
            space = named.space();
        } else {
            MmConfig config = spaces.config(f);
            arch = spaces.arch(f);
            space = spaces.space(f, config);
        }
        switch (op) {
            case "mmap":
                return MmapDecoder.decode(f, space, arch, apply(f, named));
            case "fault":
                return FaultDecoder.decode(f, space, arch);
            case "aligned":
                return AlignedDecoder.decode(f, space);
            default:
                return UnmappedAreaDecoder.decode(f, space);
        }
    }

    /** The space an mmap's placed range is added to: {@code "apply": true} needs {@code "space"}. */
    private String apply(Fields f, Sessions.Session named) {
        if (!f.bool("apply", false)) {
            return null;
        }
        if (named == null) {
            throw f.invalid("apply", "needs \"space\": a request carrying its own vmas has no space to add to");
        }
        sessions.roomForEdit(f, "apply");
        return Sessions.nameOf(f);
    }
}
