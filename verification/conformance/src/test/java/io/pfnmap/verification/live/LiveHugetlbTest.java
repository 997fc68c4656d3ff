package io.pfnmap.verification.live;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pfnmap.mm.Errnos;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.core.Layout;
import io.pfnmap.mm.core.MmState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * hugetlb on the mmap path (issue 25; docs/notes/hugetlb-shmem-facts.md section 2) checked against
 * the running kernel: the recorder's anonymous calls carry MAP_HUGETLB (a quarter of them with
 * MAP_HUGE_2MB or MAP_HUGE_1GB) and its file calls map a file on a hugetlbfs mount this test makes
 * (pagesize=2M, unmounted afterwards), with MAP_NORESERVE in seven of eight file calls and in every
 * anonymous one. Each call goes through the oracle with {@code "mm": {"hugetlb_sizes", ...}} read
 * from /sys/kernel/mm/hugepages (the default, /proc/meminfo's Hugepagesize, first) and {@code
 * "file": {"hugetlbfs": {"page_size"}}}, in both layouts, without {@code mmap_base} (the oracle
 * derives it from the stack rlimit), and must get the kernel's answer. The first check
 * ({@link #hugetlbPlacementMatchesTheKernel}) needs a host with no huge pages set aside
 * (nr_hugepages and nr_overcommit_hugepages 0 for every size, the kernel's default), so that every
 * reservation fails: the oracle is sent {@code hugepages_available} 0. Four wrong models must each
 * be caught by the same recordings. The second ({@link #hugetlbReservationsMatchTheKernel}) gives
 * the 2 MiB pool a few pages for its runs (restored afterwards) and sends each call the count its
 * reservation sees, read by the recorder just before it; the third ({@link
 * #reservationsTheCountsDoNotShow}) takes the two cases where that count is not what the
 * reservation sees: a shared file range reserved already, which the oracle answers given the
 * file's reserve map, and MAP_FIXED over reserved private mappings, which the model does not cover.
 */
class LiveHugetlbTest {
    private static final String WHAT = "live hugetlb conformance";
    private static final int CALLS_PER_RUN = 500;
    private static final Path HUGEPAGES = Paths.get("/sys/kernel/mm/hugepages");
    private static final long MAP_NORESERVE = 0x4000;

    private record Run(boolean legacy, Recording rec) {
    }

    /**
     * What both checks count over the recordings: calls, calls the kernel placed, its errors by
     * name, the oracle's mismatches and which wrong models a call caught; {@link #calls} is their
     * shared loop head (each recorded call with its run's layout).
     */
    private record Tally(int[] counts, Map<String, Integer> errors, List<String> mismatches,
            Map<String, Integer> caught) {
        Tally() {
            this(new int[2], new TreeMap<>(), new ArrayList<>(), new LinkedHashMap<>());
        }

        /** A recorded call and whether its run had the legacy layout. */
        record Visit(Recording rec, boolean legacy, RecordedCall c) {
        }

        static List<Visit> calls(List<Run> runs) {
            List<Visit> visits = new ArrayList<>();
            for (Run r : runs) {
                Recording rec = r.rec;
                boolean compat = (rec.personality() & Recording.ADDR_COMPAT_LAYOUT) != 0;
                boolean legacy = Layout.mmapIsLegacy(MmState.ARCH_X86_64, compat, rec.legacyVaLayout(),
                        rec.stackRlimit());
                rec.calls().forEach(c -> visits.add(new Visit(rec, legacy, c)));
            }
            return visits;
        }

        /** Counts {@code c}; whether the kernel placed it. */
        boolean count(RecordedCall c) {
            counts[0]++;
            if (c.result() < 0 && c.result() >= -4095) {
                errors.merge(Errnos.name((int) -c.result()), 1, Integer::sum);
                return false;
            }
            counts[1]++;
            return true;
        }

        int total() {
            return counts[0];
        }

        int placed() {
            return counts[1];
        }
    }

    /** What a model sends: the mm's hstates and how it rewrites a call's request line. */
    private record Sent(List<Long> hstates, UnaryOperator<ObjectNode> edit) {
    }

    @Test
    void hugetlbPlacementMatchesTheKernel() throws Exception {
        LiveTools.skipUnlessLive6_18(WHAT, "gcc", "setarch", "prlimit", "mount", "umount");
        LiveTools.skipUnless(WHAT, Files.isDirectory(HUGEPAGES), HUGEPAGES + " missing (no CONFIG_HUGETLB_PAGE)");
        String reserved = hugePagesSetAside();
        LiveTools.skipUnless(WHAT, reserved == null, "huge pages are set aside (" + reserved + "): the check "
                + "needs every reservation to fail, as with the kernel's default nr_hugepages 0");
        List<Long> hstates = hstates();
        LiveTools.skipUnless(WHAT, hstates.contains(2L << 20), "no 2 MiB hstate");
        Path bin = LiveTools.recorder("hugetlb_recorder");
        Path dir = Paths.get("target", "live", "hugetlbfs").toAbsolutePath();
        Files.createDirectories(dir);
        List<Run> runs = new ArrayList<>();
        try {
            LiveTools.run(List.of("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "pfnmap-hugetlbfs", dir.toString()));
        } catch (AssertionError e) {
            LiveTools.skipUnless(WHAT, false, "cannot mount hugetlbfs (" + e.getMessage() + ")");
        }
        try {
            long seed = 2500;
            for (boolean legacy : new boolean[] {false, true}) {
                for (String stack : new String[] {"8388608", "1073741824", "unlimited"}) {
                    String source = (legacy ? "legacy" : "topdown") + ", stack " + stack;
                    Recording rec = LiveTools.parse(source, LiveTools.run(LiveTools.underRlimit(stack, legacy, bin,
                            Long.toString(seed++), Integer.toString(CALLS_PER_RUN), dir.resolve("f").toString(),
                            "hugetlb")), CALLS_PER_RUN);
                    runs.add(new Run(legacy, rec));
                }
            }
        } finally {
            LiveTools.run(List.of("umount", dir.toString()));
        }
        check(runs, hstates);
    }

    /** A setting of the 2 MiB pool: {@code nr_hugepages} and {@code nr_overcommit_hugepages}. */
    private record Pool(long nr, long overcommit) {
    }

    /** The runs' 2 MiB pools, one per run in turn: at most 16 pages (32 MiB) at any time. */
    private static final List<Pool> POOLS = List.of(new Pool(16, 0), new Pool(8, 8));
    private static final Path POOL_2M = HUGEPAGES.resolve("hugepages-2048kB");
    private static final Path POOL_1G = HUGEPAGES.resolve("hugepages-1048576kB");

    /**
     * The runs' 1 GiB pools where the CPU has the hstate, one per run in turn: pages only, since a
     * gigantic hstate has no overcommit (its nr_overcommit_hugepages refuses any write with EINVAL,
     * and alloc_surplus_hugetlb_folio, mm/hugetlb.c, allocates no gigantic surplus page).
     */
    private static final long[] POOLS_1G = {2, 1};

    /**
     * The reservation path: the 2 MiB pool is given a few pages ({@link #POOLS}: 16 pages; 8 pages
     * and 8 of overcommit, which the kernel allocates as surplus pages on demand) for the time of
     * the runs and restored afterwards, also on failure. The recorder's mode {@code
     * hugetlb-reserve} leaves MAP_NORESERVE out of half of its anonymous and file calls (a file call
     * without it maps a fresh unlinked file, whose shared mapping reserves every page, as the model
     * assumes) and keeps it in every plain MAP_FIXED call (those replace mappings whose private
     * reservations the kernel releases before the new one is taken, which the counts read before
     * the call cannot show); before each call it reads every hstate's free, resv, surplus and
     * overcommit counts, and the oracle is sent the call's hstate's {@link HugePool#available()}
     * as {@code hugepages_available}. Mappings stay mapped until the recorder unmaps them, so a
     * run's reservations run out partway and later calls fail with ENOMEM, which the oracle must
     * say too. Four wrong notions of the count must each be caught.
     */
    @Test
    void hugetlbReservationsMatchTheKernel() throws Exception {
        String what = WHAT + " with huge pages set aside";
        LiveTools.skipUnlessLive6_18(what, "gcc", "setarch", "prlimit", "mount", "umount");
        LiveTools.skipUnless(what, Files.isDirectory(HUGEPAGES), HUGEPAGES + " missing (no CONFIG_HUGETLB_PAGE)");
        List<Long> hstates = hstates();
        LiveTools.skipUnless(what, hstates.contains(2L << 20) && Files.isDirectory(POOL_2M), "no 2 MiB hstate");
        Path nr = POOL_2M.resolve("nr_hugepages");
        Path over = POOL_2M.resolve("nr_overcommit_hugepages");
        LiveTools.skipUnless(what, Files.isWritable(nr) && Files.isWritable(over), "cannot write " + nr + " and "
                + over + " (not root, or sysfs read-only)");
        String busy = poolInUse();
        LiveTools.skipUnless(what, busy == null, "the 2 MiB pool is in use (" + busy + "): the check would change "
                + "a pool someone relies on");
        long nr0 = readCount(nr);
        long over0 = readCount(over);
        Path bin = LiveTools.recorder("hugetlb_reserve_recorder");
        Path dir = Paths.get("target", "live", "hugetlbfs-reserve").toAbsolutePath();
        Files.createDirectories(dir);
        try {
            LiveTools.run(List.of("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "pfnmap-hugetlbfs", dir.toString()));
        } catch (AssertionError e) {
            LiveTools.skipUnless(what, false, "cannot mount hugetlbfs (" + e.getMessage() + ")");
        }
        // The 1 GiB pool too, where the CPU has that hstate and nobody uses its pool: MAP_HUGE_1GB
        // calls then reserve gigantic pages, charged to their own pool, until it runs out.
        Path nr1g = POOL_1G.resolve("nr_hugepages");
        boolean giga = hstates.contains(1L << 30) && Files.isWritable(nr1g) && poolInUse(POOL_1G) == null;
        long nr1g0 = giga ? readCount(nr1g) : 0;
        long gigaPages = 0; // the most 1 GiB pages a run had (the kernel may give fewer than asked)
        List<Run> runs = new ArrayList<>();
        try {
            long seed = 2600;
            int i = 0;
            for (boolean legacy : new boolean[] {false, true}) {
                for (String stack : new String[] {"8388608", "1073741824", "unlimited"}) {
                    Pool pool = POOLS.get(i % POOLS.size());
                    String set = setPool(nr, over, pool);
                    LiveTools.skipUnless(what, set == null, set);
                    String source = (legacy ? "legacy" : "topdown") + ", stack " + stack + ", " + pool.nr()
                            + " pages + " + pool.overcommit() + " overcommit";
                    if (giga) {
                        long want = POOLS_1G[i % POOLS_1G.length];
                        Files.writeString(nr1g, Long.toString(want));
                        long got = readCount(nr1g);
                        gigaPages = Math.max(gigaPages, got);
                        source += ", 1 GiB pool " + got + (got == want ? "" : " (asked " + want + ")");
                    }
                    i++;
                    Recording rec = LiveTools.parse(source, LiveTools.run(LiveTools.underRlimit(stack, legacy, bin,
                            Long.toString(seed++), Integer.toString(CALLS_PER_RUN), dir.resolve("f").toString(),
                            "hugetlb-reserve")), CALLS_PER_RUN);
                    runs.add(new Run(legacy, rec));
                }
            }
        } finally {
            try {
                LiveTools.run(List.of("umount", dir.toString()));
            } finally {
                try {
                    restorePool(nr, over, nr0, over0);
                } finally {
                    if (giga) {
                        Files.writeString(nr1g, Long.toString(nr1g0));
                        assertTrue(readCount(nr1g) == nr1g0, "the 1 GiB pool was not restored to nr_hugepages " + nr1g0
                                + ": it reads " + readCount(nr1g));
                    }
                }
            }
        }
        checkReservations(what, runs, hstates, gigaPages > 0);
    }

    /**
     * The steps of hugetlb_reserve_facts.c the oracle answers as the kernel does, given the count
     * read before the call and, for the file, its reserve map.
     */
    private static final List<String> IN_THE_MODEL = List.of("file-first", "anon-takes-the-rest",
            "file-same-range-again", "file-one-page-more", "noreserve", "fixed-over-noreserve");

    /**
     * Where the count read before a call is not what the reservation sees
     * (verification/conformance/src/test/c/hugetlb_reserve_facts.c, a pool of 4 pages, restored
     * afterwards). A MAP_SHARED hugetlbfs range that already holds a reservation (from an earlier,
     * since unmapped, mapping of the same file pages) reserves only its pages that hold none
     * ({@code region_chg} over the inode's resv_map, mm/hugetlb.c): the oracle is sent the file's
     * reserve map ({@code "reserved"}, kept here from the shared file steps the kernel placed) and
     * must answer as the kernel does, the same range again placed with 0 available, one page more
     * ENOMEM. A plain MAP_FIXED call releases the private reservations of the mappings it replaces
     * before it reserves, so it succeeds with {@code hugepages_available} 0 where the model, which
     * does not know what the call replaces, says ENOMEM: the reservation check above keeps its
     * calls out of that case, and the oracle's answer to it is printed, not checked. The kernel's
     * outcomes are asserted.
     */
    @Test
    void reservationsTheCountsDoNotShow() throws Exception {
        String what = WHAT + ", reservations the counts do not show";
        LiveTools.skipUnlessLive6_18(what, "gcc", "mount", "umount");
        LiveTools.skipUnless(what, Files.isDirectory(POOL_2M), "no 2 MiB hstate");
        Path nr = POOL_2M.resolve("nr_hugepages");
        Path over = POOL_2M.resolve("nr_overcommit_hugepages");
        LiveTools.skipUnless(what, Files.isWritable(nr) && Files.isWritable(over), "cannot write " + nr + " and "
                + over + " (not root, or sysfs read-only)");
        String busy = poolInUse();
        LiveTools.skipUnless(what, busy == null, "the 2 MiB pool is in use (" + busy + ")");
        long nr0 = readCount(nr);
        long over0 = readCount(over);
        Path work = Paths.get("target", "live").toAbsolutePath();
        Files.createDirectories(work);
        Path bin = work.resolve("hugetlb_reserve_facts");
        LiveTools.run(List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", bin.toString(),
                Paths.get("src", "test", "c", "hugetlb_reserve_facts.c").toAbsolutePath().toString()));
        Path dir = work.resolve("hugetlbfs-facts");
        Files.createDirectories(dir);
        try {
            LiveTools.run(List.of("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "pfnmap-hugetlbfs", dir.toString()));
        } catch (AssertionError e) {
            LiveTools.skipUnless(what, false, "cannot mount hugetlbfs (" + e.getMessage() + ")");
        }
        String out;
        try {
            String set = setPool(nr, over, new Pool(4, 0));
            LiveTools.skipUnless(what, set == null, set);
            out = LiveTools.run(List.of(bin.toString(), dir.toString()));
        } finally {
            try {
                LiveTools.run(List.of("umount", dir.toString()));
            } finally {
                restorePool(nr, over, nr0, over0);
            }
        }
        Map<String, Map<String, String>> steps = new LinkedHashMap<>();
        for (String l : out.split("\n")) {
            String[] w = l.split(" ");
            Map<String, String> kv = new LinkedHashMap<>();
            for (int i = 2; i < w.length; i++) {
                kv.put(w[i].substring(0, w[i].indexOf('=')), w[i].substring(w[i].indexOf('=') + 1));
            }
            steps.put(w[1], kv);
        }
        Map<String, String> kernel = new LinkedHashMap<>();
        steps.forEach((k, v) -> kernel.put(k, v.get("result")));
        // the kernel's outcomes (4 free pages; the two steps outside the model succeed with none available)
        assertTrue(kernel.equals(Map.of("file-first", "ok", "anon-takes-the-rest", "ok", "file-same-range-again", "ok",
                "file-one-page-more", "ENOMEM", "fixed-over-reserved", "ok", "noreserve", "ok",
                "fixed-over-noreserve", "ENOMEM")), "the kernel's outcomes: " + kernel);
        assertTrue(steps.get("file-same-range-again").get("avail").equals("0")
                && steps.get("fixed-over-reserved").get("avail").equals("0"), "counts before the steps: " + steps);
        OracleReplay oracle = new OracleReplay();
        int seq = 0;
        int checked = 0;
        long reservedTo = 0; // the file's reserve map: huge pages [0, reservedTo) (its steps map from pgoff 0)
        for (Map.Entry<String, Map<String, String>> e : steps.entrySet()) {
            Map<String, String> v = e.getValue();
            boolean file = v.get("kind").equals("file");
            RecordedCall c = new RecordedCall("facts", ++seq, file, Long.decode(v.get("flags")),
                    Long.parseUnsignedLong(v.get("addr").substring(2), 16), Long.decode(v.get("len")), 0,
                    com.google.common.collect.ImmutableList.of(), 0);
            ObjectNode mm = OracleReplay.JSON.createObjectNode();
            mm.put("arch", "x86_64");
            mm.putArray("hugetlb_sizes").add(Hex.of(2L << 20));
            mm.put("hugepages_available", Long.parseLong(v.get("avail")));
            ObjectNode hugetlbfs = hugetlbfsFile();
            if (file && reservedTo > 0) {
                ((ObjectNode) hugetlbfs.get("hugetlbfs")).putArray("reserved").addArray().add(Hex.of(0))
                        .add(Hex.of(reservedTo));
            }
            long a = answer(oracle, c, mm, hugetlbfs, x -> x);
            String model = a < 0 && a >= -4095 ? Errnos.name((int) -a) : "ok";
            boolean inModel = IN_THE_MODEL.contains(e.getKey());
            System.out.printf("%s: %s (hugepages_available %s%s): kernel %s, oracle %s%s%n", what, e.getKey(),
                    v.get("avail"), !file ? "" : reservedTo == 0 ? ", nothing reserved" : ", reserved [0, " + reservedTo + ")", v.get("result"), model,
                    inModel ? "" : " (outside the model)");
            if (inModel) {
                assertTrue(model.equals(v.get("result")), e.getKey() + ": kernel " + v.get("result") + ", oracle "
                        + model);
                checked++;
            }
            // a shared file mapping the kernel placed leaves its range in the file's reserve map
            if (file && v.get("result").equals("ok") && (c.flags() & MAP_NORESERVE) == 0) {
                reservedTo = Math.max(reservedTo, c.len() / (2L << 20));
            }
        }
        assertTrue(checked == IN_THE_MODEL.size() && reservedTo == 2, "steps checked: " + checked
                + ", the file's reserve map [0, " + reservedTo + ")");
    }

    /**
     * Sets the 2 MiB pool; null when the kernel took it, else why not (the kernel may give fewer
     * pages than asked when memory is short).
     */
    private static String setPool(Path nr, Path over, Pool pool) throws IOException {
        Files.writeString(over, Long.toString(pool.overcommit()));
        Files.writeString(nr, Long.toString(pool.nr()));
        long gotNr = readCount(nr);
        long gotOver = readCount(over);
        long free = readCount(POOL_2M.resolve("free_hugepages"));
        if (gotNr != pool.nr() || gotOver != pool.overcommit() || free != pool.nr()) {
            return "asked the 2 MiB pool for " + pool + ", the kernel gave nr_hugepages " + gotNr
                    + ", nr_overcommit_hugepages " + gotOver + ", free_hugepages " + free;
        }
        return null;
    }

    /** Puts back the pool as it was; fails the test if the kernel keeps another value. */
    private static void restorePool(Path nr, Path over, long nr0, long over0) throws IOException {
        IOException first = null;
        for (Path p : new Path[] {over, nr}) {
            try {
                Files.writeString(p, Long.toString(p == nr ? nr0 : over0));
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
        assertTrue(readCount(nr) == nr0 && readCount(over) == over0, "the 2 MiB pool was not restored to "
                + "nr_hugepages " + nr0 + ", nr_overcommit_hugepages " + over0 + ": it reads " + readCount(nr) + ", "
                + readCount(over));
    }

    private static long readCount(Path p) throws IOException {
        return Long.parseLong(Files.readString(p).trim());
    }

    /** null when no 2 MiB huge page is in use or reserved, else which count says otherwise. */
    private static String poolInUse() throws IOException {
        return poolInUse(POOL_2M);
    }

    /** null when no huge page of the hstate at {@code pool} is in use or reserved, else which count says otherwise. */
    private static String poolInUse(Path pool) throws IOException {
        long nr = readCount(pool.resolve("nr_hugepages"));
        long free = readCount(pool.resolve("free_hugepages"));
        long resv = readCount(pool.resolve("resv_hugepages"));
        long surplus = readCount(pool.resolve("surplus_hugepages"));
        if (free != nr || resv != 0 || surplus != 0) {
            return "nr_hugepages " + nr + ", free_hugepages " + free + ", resv_hugepages " + resv
                    + ", surplus_hugepages " + surplus;
        }
        return null;
    }

    /** The hstate a recorded hugetlb call uses: the mount's for the file, else MAP_HUGE_* or the default. */
    private static long callHstate(RecordedCall c, List<Long> hstates) {
        long log = (c.flags() >>> 26) & 0x3f;
        return c.file() || log == 0 ? (c.file() ? 2L << 20 : hstates.get(0)) : 1L << log;
    }

    /** {@code hugepages_available} for {@code c}: its hstate's pool as {@code count} reads it, 0 without one. */
    private static long available(RecordedCall c, List<Long> hstates, ToLongFunction<HugePool> count) {
        assertTrue(!c.hugePools().isEmpty(), c.source() + " call " + c.seq() + ": no HUGE line recorded");
        HugePool p = c.hugePool(callHstate(c, hstates));
        return p == null ? 0 : count.applyAsLong(p);
    }

    private void checkReservations(String what, List<Run> runs, List<Long> hstates, boolean gigaPool)
            throws IOException {
        long effectiveMin = Math.max(runs.get(0).rec.mmapMinAddrSysctl(), LiveTools.lsmMmapMinAddr());
        boolean rawio = LiveTools.hasCapSysRawio();
        Map<String, ToLongFunction<HugePool>> wrong = new LinkedHashMap<>();
        String ignored = "the reservation ignored (every call as if enough huge pages were free)";
        wrong.put(ignored, p -> Long.MAX_VALUE);
        wrong.put("no huge pages set aside (hugepages_available 0, as in the first check)", p -> 0);
        wrong.put("reserved pages counted as free (resv_hugepages not subtracted)",
                p -> p.free() + Math.max(0, p.overcommit() - p.surplus()));
        wrong.put("no overcommit room (free_hugepages - resv_hugepages only)", p -> Math.max(0, p.free() - p.resv()));
        // With gigantic pages set aside, each call's pool is its own hstate's: a model charging every
        // call to the default hstate's pool (MAP_HUGE_1GB's size ignored in the count) must be caught.
        String defaultPool = "every call charged to the default hstate's pool (a MAP_HUGE_1GB call's own pool ignored)";
        Set<String> variants = new LinkedHashSet<>(wrong.keySet());
        if (gigaPool) {
            variants.add(defaultPool);
        }
        OracleReplay oracle = new OracleReplay();
        Tally t = new Tally();
        int gigaReserved = 0;
        int gigaEnomem = 0;
        int reserved = 0;
        int surplusSeen = 0;
        int noreserve = 0;
        int enomemReservation = 0;
        int enomemPartway = 0;
        for (Tally.Visit v : Tally.calls(runs)) {
            Recording rec = v.rec();
            boolean legacy = v.legacy();
            RecordedCall c = v.c();
            boolean nores = (c.flags() & MAP_NORESERVE) != 0;
            noreserve += nores ? 1 : 0;
            boolean gigaCall = callHstate(c, hstates) == 1L << 30;
            if (t.count(c)) {
                reserved += nores ? 0 : 1;
                gigaReserved += !nores && gigaCall ? 1 : 0;
            } else if (gigaCall && c.result() == -Errnos.byName("ENOMEM")) {
                gigaEnomem++;
            }
            HugePool pool = c.hugePool(callHstate(c, hstates));
            surplusSeen += pool != null && pool.surplus() > 0 ? 1 : 0;
            long avail = available(c, hstates, HugePool::available);
            long model = answer(oracle, c, mm(rec, legacy, effectiveMin, rawio, hstates, avail), x -> x);
            if (model != c.result()) {
                t.mismatches().add(String.format("%s call %d: %s flags=%s addr=%s len=%s pgoff=%s available=%d: "
                        + "kernel %s, oracle %s", c.source(), c.seq(), c.file() ? "file" : "anon",
                        Hex.of(c.flags()), Hex.of(c.addr()), Hex.of(c.len()), Hex.of(c.pgoff()), avail,
                        Hex.of(c.result()), Hex.of(model)));
            }
            if (gigaPool) {
                HugePool d = c.hugePool(hstates.get(0));
                long a = d == null ? 0 : d.available();
                if (answer(oracle, c, mm(rec, legacy, effectiveMin, rawio, hstates, a), x -> x) != c.result()) {
                    t.caught().merge(defaultPool, 1, Integer::sum);
                }
            }
            for (Map.Entry<String, ToLongFunction<HugePool>> w : wrong.entrySet()) {
                long a = available(c, hstates, w.getValue());
                long m = answer(oracle, c, mm(rec, legacy, effectiveMin, rawio, hstates, a), x -> x);
                if (m != c.result()) {
                    t.caught().merge(w.getKey(), 1, Integer::sum);
                    if (w.getKey().equals(ignored) && c.result() == -Errnos.byName("ENOMEM")) {
                        // the kernel's ENOMEM where, with pages enough, the oracle places it: the reservation's
                        enomemReservation++;
                        enomemPartway += avail > 0 ? 1 : 0;
                    }
                }
            }
        }
        System.out.printf("%s: %d calls in %d runs through the oracle (%d with MAP_NORESERVE), %d placed (%d of them "
                + "reserving huge pages), errors %s, %d ENOMEM from reservations (%d of them with pages still "
                + "available, too few for the call), %d calls with surplus pages in the pool, %d mismatches%n", what,
                t.total(), runs.size(), noreserve, t.placed(), reserved, t.errors(), enomemReservation, enomemPartway,
                surplusSeen, t.mismatches().size());
        if (gigaPool) {
            System.out.printf("%s: the 1 GiB pool: %d MAP_HUGE_1GB mappings reserved gigantic pages, %d MAP_HUGE_1GB "
                    + "calls were refused with ENOMEM%n", what, gigaReserved, gigaEnomem);
        } else {
            System.out.printf("%s: no 1 GiB pool set aside (no 1 GiB hstate, its pool in use, or the kernel gave no "
                    + "page): MAP_HUGE_1GB reservations are checked against an empty pool only%n", what);
        }
        LiveTools.reportAndAssertNoMismatch(what, t.total(), t.mismatches(), variants, t.caught());
        assertTrue(reserved > 0, "no mapping reserved huge pages: the runs check no successful reservation");
        assertTrue(enomemPartway > 0, "no reservation ran out partway: the runs check no exhausted pool");
        assertTrue(surplusSeen > 0, "no surplus page was allocated: the runs check no overcommit");
        assertTrue(!gigaPool || gigaReserved > 0, "the 1 GiB pool had pages, but no MAP_HUGE_1GB mapping reserved one");
        LiveTools.assertEveryVariantCaught("model", variants, t.caught());
    }

    private void check(List<Run> runs, List<Long> hstates) throws IOException {
        long effectiveMin = Math.max(runs.get(0).rec.mmapMinAddrSysctl(), LiveTools.lsmMmapMinAddr());
        boolean rawio = LiveTools.hasCapSysRawio();
        Map<String, Sent> wrong = new LinkedHashMap<>();
        // 6.12's x86 hook rounds the hint down; sent as a hint already rounded down to 2 MiB
        wrong.put("the hint rounded down (6.12's x86 hook)", new Sent(hstates, LiveHugetlbTest::hintRoundedDown));
        // The host's 1 GiB hstate the other way round: present where the CPU has none (no gbpages),
        // absent where it has one, so the variant differs from the host on every machine.
        List<Long> toggled = new ArrayList<>(hstates);
        boolean gigantic = toggled.remove(Long.valueOf(1L << 30));
        if (!gigantic) {
            toggled.add(1L << 30);
        }
        wrong.put(gigantic ? "no 1 GiB hstate on a CPU with one" : "a 1 GiB hstate on a CPU without one",
                new Sent(List.copyOf(toggled), r -> r));
        wrong.put("MAP_HUGETLB ignored (a plain anonymous mapping)", new Sent(hstates, LiveHugetlbTest::dropHugetlb));
        wrong.put("the reservation not checked (as if huge pages were free)", new Sent(hstates,
                r -> addFlag(r, "MAP_NORESERVE")));
        OracleReplay oracle = new OracleReplay();
        Tally t = new Tally();
        int anon = 0;
        for (Tally.Visit v : Tally.calls(runs)) {
            Recording rec = v.rec();
            boolean legacy = v.legacy();
            RecordedCall c = v.c();
            anon += c.file() ? 0 : 1;
            t.count(c);
            long model = answer(oracle, c, mm(rec, legacy, effectiveMin, rawio, hstates, 0), r2 -> r2);
            if (model != c.result()) {
                t.mismatches().add(String.format("%s call %d: %s flags=%s addr=%s len=%s pgoff=%s: kernel %s, "
                        + "oracle %s", c.source(), c.seq(), c.file() ? "file" : "anon", Hex.of(c.flags()),
                        Hex.of(c.addr()), Hex.of(c.len()), Hex.of(c.pgoff()), Hex.of(c.result()), Hex.of(model)));
            }
            for (Map.Entry<String, Sent> w : wrong.entrySet()) {
                Sent s = w.getValue();
                if (answer(oracle, c, mm(rec, legacy, effectiveMin, rawio, s.hstates(), 0), s.edit())
                        != c.result()) {
                    t.caught().merge(w.getKey(), 1, Integer::sum);
                }
            }
        }
        System.out.printf("%s: %d calls (%d anonymous MAP_HUGETLB, %d on a hugetlbfs file) in %d runs through the "
                + "oracle, %d placed, errors %s, %d mismatches%n", WHAT, t.total(), anon, t.total() - anon, runs.size(),
                t.placed(), t.errors(), t.mismatches().size());
        LiveTools.reportAndAssertNoMismatch(WHAT, t.total(), t.mismatches(), wrong.keySet(), t.caught());
        assertTrue(t.placed() > t.total() / 4, "too few calls placed (" + t.placed() + "): the runs check little "
                + "placement");
        LiveTools.assertEveryVariantCaught("model", wrong.keySet(), t.caught());
    }

    /** The oracle's answer to the call's request line after {@code edit}; a file is a new 2 MiB hugetlbfs one. */
    private static long answer(OracleReplay oracle, RecordedCall c, ObjectNode mm, UnaryOperator<ObjectNode> edit)
            throws IOException {
        return answer(oracle, c, mm, hugetlbfsFile(), edit);
    }

    /** {@code "file": {"hugetlbfs": {"page_size": "0x200000"}}}, nothing reserved yet. */
    private static ObjectNode hugetlbfsFile() {
        ObjectNode file = OracleReplay.JSON.createObjectNode();
        file.putObject("hugetlbfs").put("page_size", Hex.of(2L << 20));
        return file;
    }

    /** The same for a call on {@code file} (its {@code "file"} member). */
    private static long answer(OracleReplay oracle, RecordedCall c, ObjectNode mm, ObjectNode file,
            UnaryOperator<ObjectNode> edit) throws IOException {
        ObjectNode line = (ObjectNode) OracleReplay.JSON.readTree(OracleReplay.line(c, mm, file));
        return oracle.answerLine(c, OracleReplay.JSON.writeValueAsString(edit.apply(line)));
    }

    private static ObjectNode hintRoundedDown(ObjectNode r) {
        long addr = Long.parseUnsignedLong(r.get("addr").asText().substring(2), 16);
        if (addr != 0 && !hasFlag(r, "MAP_FIXED") && !hasFlag(r, "MAP_FIXED_NOREPLACE")) {
            r.put("addr", Hex.of(addr & -(2L << 20)));
        }
        return r;
    }

    private static boolean hasFlag(ObjectNode r, String name) {
        for (JsonNode f : r.get("flags")) {
            if (f.asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode dropHugetlb(ObjectNode r) {
        ArrayNode flags = OracleReplay.JSON.createArrayNode();
        for (JsonNode f : r.get("flags")) {
            if (!f.asText().startsWith("MAP_HUGE")) {
                flags.add(f);
            }
        }
        r.set("flags", flags);
        return r;
    }

    private static ObjectNode addFlag(ObjectNode r, String name) {
        if (!hasFlag(r, name)) {
            ((ArrayNode) r.get("flags")).add(name);
        }
        return r;
    }

    /** The call's {@code "mm"}: {@code available} is sent as {@code hugepages_available} (a u64). */
    private static ObjectNode mm(Recording rec, boolean legacy, long effectiveMin, boolean rawio, List<Long> hstates,
            long available) {
        ObjectNode mm = LiveTools.recordedMm(rec, legacy, effectiveMin, rawio);
        ArrayNode sizes = mm.putArray("hugetlb_sizes");
        hstates.forEach(h -> sizes.add(Hex.of(h)));
        if (available == 0) {
            mm.put("hugepages_available", 0);
        } else {
            mm.put("hugepages_available", Hex.of(available));
        }
        return mm;
    }

    /** The kernel's hstates, the default (/proc/meminfo Hugepagesize) first. */
    static List<Long> hstates() throws IOException {
        long dflt = 0;
        for (String l : Files.readAllLines(Paths.get("/proc/meminfo"))) {
            if (l.startsWith("Hugepagesize:")) {
                dflt = Long.parseLong(l.replaceAll("[^0-9]", "")) << 10;
            }
        }
        List<Long> sizes = new ArrayList<>();
        sizes.add(dflt);
        try (var dirs = Files.newDirectoryStream(HUGEPAGES, "hugepages-*kB")) {
            for (Path d : dirs) {
                long s = Long.parseLong(d.getFileName().toString().replaceAll("[^0-9]", "")) << 10;
                if (s != dflt) {
                    sizes.add(s);
                }
            }
        }
        return sizes;
    }

    /** null when no size has huge pages set aside, else the first that has. */
    private static String hugePagesSetAside() throws IOException {
        try (var dirs = Files.newDirectoryStream(HUGEPAGES, "hugepages-*kB")) {
            for (Path d : dirs) {
                for (String k : new String[] {"nr_hugepages", "nr_overcommit_hugepages"}) {
                    String v = Files.readString(d.resolve(k)).trim();
                    if (!v.equals("0")) {
                        return d.getFileName() + "/" + k + " = " + v;
                    }
                }
            }
        }
        return null;
    }
}
