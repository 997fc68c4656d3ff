package io.pfnmap.verification.oracle;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableList;
import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import io.pfnmap.arch.Search;
import io.pfnmap.mm.AddressSpace;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.InvalidInputException;
import io.pfnmap.mm.Hstates;
import io.pfnmap.mm.VaAlign;
import io.pfnmap.mm.MmConfig;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.VmaFlag;
import io.pfnmap.mm.core.Layout;
import io.pfnmap.mm.core.MmState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes the members every op shares, {@code "mm"} and {@code "vmas"}, into the configuration
 * and the address space. It keeps the last of each: {@link LineParser} hands a repeated member's
 * bytes back as the same {@link Node}, so a stream that repeats them decodes and validates them
 * once. Not thread-safe; one per stream.
 */
final class SpaceDecoder {
    private static final ImmutableSet<String> VMA_MEMBERS = ImmutableSet.of("start", "end", "flags");

    /** The decoded "mm": its node, the configuration and the arch it names. */
    private record Decoded(Node mm, MmConfig config, ArchConfig arch) {
    }

    private Decoded lastMm;
    private Node lastVmas;
    private MmConfig lastSpaceConfig;
    private AddressSpace lastSpace;
    private MmConfig lastEmptyConfig;
    private AddressSpace lastEmpty;

    /** The request's configuration ({@link RequestParser#DEFAULT_CONFIG} without "mm"). */
    MmConfig config(Fields top) {
        Node mm = top.get("mm");
        if (mm == null) {
            return RequestParser.DEFAULT_CONFIG;
        }
        return decoded(top, mm).config;
    }

    /** The arch configuration the request names ({@link RequestParser#DEFAULT_ARCH} without "mm"). */
    ArchConfig arch(Fields top) {
        Node mm = top.get("mm");
        return mm == null ? RequestParser.DEFAULT_ARCH : decoded(top, mm).arch;
    }

    private Decoded decoded(Fields top, Node mm) {
        if (lastMm == null || lastMm.mm != mm) {
            Fields f = top.object(mm, "mm");
            ArchConfig arch = namedArch(f);
            lastMm = new Decoded(mm, config(f, arch), arch);
        }
        return lastMm;
    }

    private static ArchConfig namedArch(Fields mm) {
        mm.onlyKnown(RequestParser.MM_MEMBERS, "unknown member; known: ");
        Node av = mm.get("arch");
        if (av == null) {
            return Arch.X86_64.config();
        }
        String a = mm.string(av, "arch");
        ArchConfig arch = Arch.byId(a).orElseThrow(() -> mm.invalid("arch", "unknown configuration "
                + Fields.quote(a) + "; the search is modelled for " + String.join(", ", searchArchIds())));
        if (arch.search().isEmpty()) {
            throw mm.invalid("arch", Fields.quote(a) + " has leaf sizes only; the search is modelled for "
                    + String.join(", ", searchArchIds()));
        }
        return arch;
    }

    private static MmConfig config(Fields mm, ArchConfig arch) {
        Search s = arch.search().orElseThrow();
        long rlimit = mm.u64("stack_rlimit", MmConfig.DEFAULT_STACK_RLIMIT);
        // mmap_is_legacy without ADDR_COMPAT_LAYOUT and vm.legacy_va_layout: x86_64 reads neither
        // the rlimit; the generic one (arm64) picks legacy for an unlimited stack
        boolean rlimitLegacy = Layout.mmapIsLegacy(s.kind() == Search.Kind.X86_64 ? MmState.ARCH_X86_64
                : MmState.ARCH_GENERIC, false, false, rlimit);
        boolean topdown = !rlimitLegacy;
        Node lv = mm.get("layout");
        if (lv != null) {
            String l = mm.string(lv, "layout");
            if (!l.equals("topdown") && !l.equals("legacy")) {
                throw mm.invalid("layout", "must be \"topdown\" or \"legacy\", got " + Fields.quote(l));
            }
            topdown = l.equals("topdown");
            if (topdown && rlimitLegacy) {
                throw mm.invalid("layout", "\"topdown\" with an unlimited stack_rlimit on " + arch.id() + ": "
                        + "mm/util.c mmap_is_legacy picks the legacy layout for RLIM_INFINITY (x86_64's does not); "
                        + "send \"legacy\" or leave layout out");
            }
        }
        long page = arch.pageSize();
        long minDefault = MmConfig.defaultMmapMinAddr(arch);
        long dacDefault = MmConfig.defaultDacMmapMinAddr(arch);
        MmConfig base = MmConfig.forArch(arch, topdown, rlimit, minDefault, dacDefault);
        long gap = mm.pageMultiple("stack_guard_gap", base.stackGuardGap(), page);
        long window = mm.pageMultiple("default_map_window", base.defaultMapWindow(), page);
        long mmapBase = mm.pageMultiple("mmap_base", Layout.mmapBase(window, rlimit, gap, page), page);
        long legacyBase = mm.pageMultiple("legacy_base", MmConfig.legacyBase(s.kind(), window, page), page);
        long taskSize = mm.pageMultiple("task_size", base.taskSize(), page);
        long taskSizeMax = mm.pageMultiple("task_size_max", base.taskSizeMax(), page);
        long min = mm.u64("mmap_min_addr", minDefault);
        long dac = mm.u64("dac_mmap_min_addr", dacDefault);
        boolean cap = mm.bool("cap_sys_rawio", base.capSysRawio());
        boolean thp = mm.bool("thp", base.thp());
        long shmemHuge = mm.u64("shmem_huge_size", base.shmemHugeSize());
        // what a kernel can be set to: off, or one of shmem's THP sizes (two pages up to PMD_SIZE)
        if (shmemHuge != 0 && (Long.bitCount(shmemHuge) != 1 || Long.compareUnsigned(shmemHuge, page) <= 0
                || Long.compareUnsigned(shmemHuge, base.pmdSize()) > 0)) {
            throw mm.invalid("shmem_huge_size", "must be 0 (shmem huge pages off) or a power of two from 2 pages "
                    + "to PMD_SIZE (" + Hex.of(2 * page) + " to " + Hex.of(base.pmdSize()) + "), got "
                    + Hex.of(shmemHuge));
        }
        Integer knob = ShmemDecoder.shmemEnabled(mm);
        if (knob != null && mm.get("shmem_huge_size") != null) {
            throw mm.invalid("shmem_huge_size", "give shmem_enabled or shmem_huge_size, not both: shmem_enabled "
                    + "decides the size anonymous shared memory aligns to (the per-size knobs at their defaults), "
                    + "shmem_huge_size sets it directly");
        }
        try {
            MmConfig c = new MmConfig(base.arch(), page, base.pmdSize(), taskSize, taskSizeMax, window, mmapBase,
                    legacyBase, min, dac, gap, topdown, thp, cap, shmemHuge);
            c = c.withHstates(hstates(mm, base)).withVaAlign(vaAlign(mm));
            return knob == null ? c : c.withShmemEnabled(knob);
        } catch (InvalidInputException e) {
            throw mm.invalid(e.field(), e.rule());
        }
    }

    /**
     * {@code hugetlb_sizes} (the kernel's hstates, the default first: /sys/kernel/mm/hugepages and
     * the default_hugepagesz; default: what the configuration's kernel registers on a CPU with
     * 1 GiB pages) and {@code hugepages_available} (huge pages a reservation may take; default 0,
     * the kernel's nr_hugepages).
     */
    private static Hstates hstates(Fields mm, MmConfig base) {
        ImmutableList<Long> sizes = base.hstates().sizes();
        Node sv = mm.get("hugetlb_sizes");
        if (sv != null) {
            if (!sv.is(Node.Kind.ARRAY)) {
                throw mm.invalid("hugetlb_sizes", "must be an array of huge page sizes, the default first, got "
                        + sv.typeName());
            }
            ImmutableList.Builder<Long> b = ImmutableList.builder();
            for (int i = 0; i < sv.size(); i++) {
                b.add(mm.u64(sv.item(i), "hugetlb_sizes[" + i + "]"));
            }
            sizes = b.build();
            if (sizes.size() != sizes.stream().distinct().count()) {
                throw mm.invalid("hugetlb_sizes", "must name each hstate once, got " + sizes);
            }
        }
        int series = Hstates.V6_18;
        Node kv = mm.get("kernel");
        if (kv != null) {
            String k = mm.string(kv, "kernel");
            if (!k.equals("6.18") && !k.equals("6.12")) {
                throw mm.invalid("kernel", "must be \"6.18\" (the default) or \"6.12\": the series whose hugetlbfs "
                        + "hooks place hugetlb mappings (every other path is the same in both), got " + Fields.quote(k));
            }
            series = k.equals("6.12") ? Hstates.V6_12 : Hstates.V6_18;
        }
        return new Hstates(sizes, mm.u64("hugepages_available", 0), series);
    }

    /** The members of {@code "va_align"}. */
    static final ImmutableSet<String> VA_ALIGN_MEMBERS =
            ImmutableSet.of("mask", "bits", "align_va_addr", "pf_randomize");

    /**
     * {@code va_align} (AMD family 15h, arch/x86/kernel/sys_x86_64.c and cpu/amd.c): what the
     * kernel fixes at boot, {@code mask} ({@code va_align.mask}, required), {@code bits} ({@code
     * va_align.bits}, default 0), the boot option {@code align_va_addr} ({@code on}, F15h's default,
     * {@code 64}, {@code 32}, {@code off}), and the task's PF_RANDOMIZE ({@code pf_randomize},
     * default true). Absent: not an F15h.
     */
    private static VaAlign vaAlign(Fields mm) {
        Node v = mm.get("va_align");
        if (v == null) {
            return VaAlign.OFF;
        }
        Fields f = mm.object(v, "va_align");
        f.onlyKnown(VA_ALIGN_MEMBERS, "unknown member; known: ");
        long mask = f.required("mask");
        long bits = f.u64("bits", 0);
        int flags = VaAlign.ON;
        Node av = f.get("align_va_addr");
        if (av != null) {
            String a = f.string(av, "align_va_addr");
            switch (a) {
                case "on" -> flags = VaAlign.ON;
                case "64" -> flags = VaAlign.ALIGN_VA_64;
                case "32" -> flags = VaAlign.ALIGN_VA_32;
                case "off" -> flags = 0;
                default -> throw f.invalid("align_va_addr", "must be \"on\" (F15h's default), \"64\", \"32\" or "
                        + "\"off\", as the boot option align_va_addr= takes them, got " + Fields.quote(a));
            }
        }
        boolean randomize = f.bool("pf_randomize", true);
        try {
            return new VaAlign(mask, bits, flags, randomize);
        } catch (InvalidInputException e) {
            throw f.invalid(e.field(), e.rule());
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

    /** The request's address space: its "vmas" (none by default) under {@code config}. */
    AddressSpace space(Fields top, MmConfig config) {
        Node v = top.get("vmas");
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
        List<Vma> vmas = vmas(top, v, config);
        AddressSpace as;
        try {
            as = AddressSpace.of(config, vmas);
        } catch (InvalidInputException e) {
            throw top.invalid(e.field(), e.rule());
        }
        lastVmas = v;
        lastSpaceConfig = config;
        lastSpace = as;
        return as;
    }

    /** The VMAs of {@code v} (at {@code top}'s "vmas"), checked as {@link AddressSpace} requires under {@code config}. */
    static List<Vma> vmas(Fields top, Node v, MmConfig config) {
        if (!v.is(Node.Kind.ARRAY)) {
            throw top.invalid("vmas", "must be an array of {\"start\", \"end\", \"flags\"} objects, got "
                    + v.typeName());
        }
        if (v.scanned() != null) {
            List<Vma> plain = plainVmas(v.scanned(), config);
            if (plain != null) {
                return plain;
            }
        }
        List<Vma> out = new ArrayList<>(v.size());
        long prevEnd = 0;
        for (int i = 0; i < v.size(); i++) {
            Vma vma = plainVma(v.item(i), config, i == 0 ? -1 : prevEnd);
            if (vma == null) {
                vma = vma(top, v.item(i), i, config, prevEnd); // the refusal, naming the field
            }
            prevEnd = vma.end();
            out.add(vma);
        }
        return out;
    }

    /**
     * The flag sets by mask of {@link VmaFlag#ordinal()} bits, each as {@link #vma} makes it
     * ({@code ImmutableSet.copyOf} of an EnumSet), made once: an EnumSet per VMA was a tenth of
     * the decoder's time.
     */
    private static final ImmutableList<ImmutableSet<VmaFlag>> FLAG_SETS = flagSets();

    private static ImmutableList<ImmutableSet<VmaFlag>> flagSets() {
        ImmutableList.Builder<ImmutableSet<VmaFlag>> b = ImmutableList.builder();
        VmaFlag[] all = VmaFlag.values();
        for (int mask = 0; mask < 1 << all.length; mask++) {
            Set<VmaFlag> set = EnumSet.noneOf(VmaFlag.class);
            for (VmaFlag f : all) {
                if ((mask & (1 << f.ordinal())) != 0) {
                    set.add(f);
                }
            }
            b.add(ImmutableSet.copyOf(set));
        }
        return b.build();
    }

    /**
     * The VMA of a well-formed item (an object of "start", "end" as "0x" strings and valid
     * "flags", page-aligned, in order after {@code prevEnd} (-1: the first), below
     * task_size_max), else null: the same VMA {@link #vma} gives, without its messages' paths,
     * which a 40-VMA space per line made the decoder's main cost. Any other item goes to
     * {@link #vma}, which accepts it or refuses it as before.
     */
    private static Vma plainVma(Node item, MmConfig config, long prevEnd) {
        if (!item.is(Node.Kind.OBJECT)) {
            return null;
        }
        Node s = null;
        Node e = null;
        Node f = null;
        for (int k = 0; k < item.size(); k++) {
            String n = item.name(k);
            if (n.equals("start")) {
                s = item.item(k);
            } else if (n.equals("end")) {
                e = item.item(k);
            } else if (n.equals("flags")) {
                f = item.item(k);
            } else {
                return null;
            }
        }
        if (s == null || e == null) {
            return null;
        }
        // -1 (not a plain hex string) is above every task_size_max: refused below like any bad value
        long start = hex(s);
        long end = hex(e);
        long page = config.pageSize();
        if (start % page != 0 || end % page != 0 || Long.compareUnsigned(start, end) >= 0
                || Long.compareUnsigned(end, config.taskSizeMax()) > 0 || start == -1
                || prevEnd != -1 && Long.compareUnsigned(prevEnd, start) > 0) {
            return null;
        }
        int mask = 0;
        if (f != null) {
            if (!f.is(Node.Kind.ARRAY)) {
                return null;
            }
            for (int k = 0; k < f.size(); k++) {
                VmaFlag flag = f.item(k).is(Node.Kind.STRING) ? RequestParser.VMA_FLAGS.get(f.item(k).text()) : null;
                if (flag == null || (mask & (1 << flag.ordinal())) != 0) {
                    return null;
                }
                mask |= 1 << flag.ordinal();
            }
        }
        return new Vma(start, end, FLAG_SETS.get(mask));
    }

    /**
     * The VMAs of an array {@link ScannedVmas} read, when every one is well-formed as {@link
     * #plainVma} requires (the same tests, on the values the scanner decoded from the same text),
     * else null: then each item goes through {@link #plainVma} and {@link #vma} as before.
     */
    private static List<Vma> plainVmas(ScannedVmas s, MmConfig config) {
        long page = config.pageSize();
        long max = config.taskSizeMax();
        // an ImmutableList, which AddressSpace.of takes without copying
        ImmutableList.Builder<Vma> out = ImmutableList.builderWithExpectedSize(s.n);
        long prevEnd = -1;
        for (int i = 0; i < s.n; i++) {
            long start = s.start[i];
            long end = s.end[i];
            if (start % page != 0 || end % page != 0 || Long.compareUnsigned(start, end) >= 0
                    || Long.compareUnsigned(end, max) > 0 || start == -1
                    || prevEnd != -1 && Long.compareUnsigned(prevEnd, start) > 0) {
                return null;
            }
            out.add(new Vma(start, end, FLAG_SETS.get(s.mask[i])));
            prevEnd = end;
        }
        return out.build();
    }

    /**
     * The value of a string Fields.u64 reads as hex ("0x" or "0X" and 1 to 16 digits of either
     * case), else -1 (so is "0xffffffffffffffff": the caller sends both to {@link #vma}).
     */
    private static long hex(Node v) {
        if (!v.is(Node.Kind.STRING)) {
            return -1;
        }
        String t = v.text();
        int n = t.length();
        if (n < 3 || n > 18 || t.charAt(0) != '0' || (t.charAt(1) | 0x20) != 'x') {
            return -1;
        }
        long r = 0;
        for (int i = 2; i < n; i++) {
            char c = t.charAt(i);
            int l = c | 0x20;
            int d = c >= '0' && c <= '9' ? c - '0' : l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            r = (r << 4) | d;
        }
        return r;
    }

    /** One VMA, every rule checked in order and a bad one refused naming {@code vmas[i]} and its member. */
    private static Vma vma(Fields top, Node item, int i, MmConfig config, long prevEnd) {
        long page = config.pageSize();
        String at = "vmas[" + i + "]";
        Fields vo = top.object(item, at);
        vo.onlyKnown(VMA_MEMBERS, "unknown member; known: ");
        long start = vo.required("start");
        long end = vo.required("end");
        if (start % page != 0) {
            throw vo.invalid("start", "must be a multiple of PAGE_SIZE (" + Hex.of(page) + "), got "
                    + Hex.of(start));
        }
        if (end % page != 0) {
            throw vo.invalid("end", "must be a multiple of PAGE_SIZE (" + Hex.of(page) + "), got " + Hex.of(end));
        }
        if (Long.compareUnsigned(start, end) >= 0) {
            throw top.invalid(at, "start " + Hex.of(start) + " must be below end " + Hex.of(end));
        }
        if (Long.compareUnsigned(end, config.taskSizeMax()) > 0) {
            throw vo.invalid("end", "must be at most task_size_max (" + Hex.of(config.taskSizeMax()) + "): the "
                    + "kernel keeps every VMA below TASK_SIZE, and the search ends on every input only then; got "
                    + Hex.of(end));
        }
        if (i > 0 && Long.compareUnsigned(prevEnd, start) > 0) {
            throw top.invalid(at, "must be sorted and disjoint: starts at " + Hex.of(start) + ", below the end "
                    + Hex.of(prevEnd) + " of vmas[" + (i - 1) + "]");
        }
        return new Vma(start, end, ImmutableSet.copyOf(flags(vo)));
    }

    private static Set<VmaFlag> flags(Fields vo) {
        Set<VmaFlag> flags = EnumSet.noneOf(VmaFlag.class);
        Node fv = vo.get("flags");
        if (fv != null) {
            for (String name : vo.names(fv, "flags", RequestParser.VMA_FLAGS.keySet(), null, null)) {
                flags.add(RequestParser.VMA_FLAGS.get(name));
            }
        }
        return flags;
    }
}
