package io.pfnmap.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The property catalogue as data: one row per property, naming where each part of it lives. The
 * contract, the jqwik property and the seeded variant are read from those places at build time
 * (never copied here), and {@code CatalogueTest} checks that every reference still resolves.
 */
public final class Catalogue {
    private Catalogue() {
    }

    /**
     * One property.
     *
     * @param id           its anchor and short name
     * @param words        the promise in words
     * @param module       the module whose core holds the contract
     * @param coreClass    the core class (fully qualified)
     * @param coreMethod   the core method whose JML states (or carries) the property
     * @param testModule   the module holding the jqwik property
     * @param testClass    the test class (fully qualified)
     * @param testMethod   the {@code @Property} method
     * @param seededClass  the test class holding the seeded wrong variant
     * @param seededMethod the test method that runs it
     * @param seededLabel  the label of the variant as the test prints it (must occur in that method)
     */
    public record Property(String id, String words, String module, String coreClass, String coreMethod,
            String testModule, String testClass, String testMethod, String seededClass, String seededMethod,
            String seededLabel) {

        public String coreFile() {
            return Sources.mainFile(module, coreClass);
        }

        public String testFile() {
            return Sources.testFile(testModule, testClass);
        }

        public String seededFile() {
            return Sources.testFile(testModule, seededClass);
        }

        public String simpleCoreClass() {
            return coreClass.substring(coreClass.lastIndexOf('.') + 1);
        }
    }

    private static final String MM = "mm-model";
    private static final String VFIO = "vfio-model";
    private static final String ARCH = "arch-model";
    private static final String MMC = "io.pfnmap.mm.core.";
    private static final String SEARCH = "io.pfnmap.mm.SearchProperties";
    private static final String PLACE = "io.pfnmap.mm.PlacementProperties";
    private static final String SEED = "io.pfnmap.mm.SeededBugTest";
    private static final String DESIGN = "io.pfnmap.vfio.DesignProperties";

    /**
     * Properties whose proof status needs a word more than the report's: which contract states the
     * property and what its proof trusts, so that "closed" is never read as more than it is
     * (docs/proofs.md, "Best-effort").
     */
    public static final java.util.Map<String, String> NOT_IN_CONTRACT = merged(java.util.Map.of(
            "thp-best-effort", "best-effort is the second contract (normal_behavior.1); it closes relative to one "
                    + "trusted case, the determinism of the plain search (ArchGetUnmappedArea#mmGetUnmappedAreaVmflags "
                    + "normal_behavior.2, listed in trusted.txt with why it is sound; docs/proofs.md, Trusted cases)",
            "design-best-effort", "best-effort is the second contract (normal_behavior.1); it closes relative to one "
                    + "trusted case, the determinism of the plain search (ArchGetUnmappedArea#mmGetUnmappedAreaVmflags "
                    + "normal_behavior.2, listed in trusted.txt with why it is sound; docs/proofs.md, Trusted cases)",
            "fault-profile-walk", "the contract states the calls' shape (order 0 = the PTEs, no huge call when huge "
                    + "orders are refused); that they equal the page-by-page walk in every touch order is checked by "
                    + "the jqwik property, not proved",
            "split-areas", "the contract states the areas' count and bounds; that they are exactly the BAR less the "
                    + "table's pages is checked by the jqwik property, not proved",
            "v2-piece-congruence", "the congruence of a placed piece is checked by the jqwik property; v2's "
                    + "mapping order is what the contract states",
            "dax-congruence", "the contract states only the hinted and unaligned path (the plain search); the "
                    + "congruence of the aligned path is checked by the jqwik property",
            "shmem-low-end", "the contract states only the domain (the function is excused, not proved); the low end "
                    + "is checked by the jqwik property and against the running kernel",
            "shmem-congruence", "the contract states only the domain (the function is excused, not proved); the "
                    + "congruence is checked by the jqwik property and against the running kernel"),
            java.util.Map.of("hugetlb-aligned", "the contract states the length and fixed-address refusals; that a placement is "
                    + "on its huge page and free is checked by the jqwik property and against the running kernel",
            "hugetlb-hint", "the contract states the refusals; the hint rounded up (6.18, not 6.12's down) is "
                    + "checked by the jqwik property and against the running kernel",
            "hugetlb-padded-fit", "the contract states the domain and the reservation's refusals; that a "
                    + "padded fit is found is checked by the jqwik property and against the running kernel"));

    private static java.util.Map<String, String> merged(java.util.Map<String, String> a, java.util.Map<String, String> b) {
        java.util.Map<String, String> m = new java.util.HashMap<>(a);
        m.putAll(b);
        return java.util.Map.copyOf(m);
    }

    /** The proof status of {@code p}'s contract, with what the contract does not state. */
    public static String proofStatus(Property p, ProofReport report) {
        String status = report.statusOf(p.coreClass(), p.coreMethod());
        String caveat = NOT_IN_CONTRACT.get(p.id());
        return caveat == null ? status : status + "; " + caveat;
    }

    /** Every property, in the order the document lists them. */
    public static final List<Property> PROPERTIES = List.of(
        new Property("search-in-bounds", "The core search `vm_unmapped_area` answers a range inside "
                + "[max(low_limit, mmap_min_addr), high_limit), without wrapping, or -ENOMEM.",
                MM, MMC + "Predicates", "inBounds", MM, SEARCH, "inBounds", SEED,
                "searchInBoundsRejectsWindowOffByOnePage", "search: high_limit one page too high"),
        new Property("search-no-overlap", "The range the search answers, widened by the guard gaps of its "
                + "neighbours (stack_guard_gap below a stack), meets no VMA.",
                MM, MMC + "Predicates", "overlapsNothing", MM, SEARCH, "overlapsNothing", SEED,
                "searchNoOverlapRejectsIgnoredGuardGap", "search: stack guard gap ignored"),
        new Property("search-congruence", "The search's answer is congruent to align_offset modulo "
                + "align_mask + 1 (top-down: the highest such fit).",
                MM, MMC + "UnmappedArea", "unmappedAreaTopdown", MM, SEARCH, "congruentToAlignOffset", SEED,
                "searchCongruenceRejectsDroppedAlignOffset", "search: align_offset dropped"),
        new Property("placement-in-bounds", "An mmap that succeeds lands page-aligned, at or above mmap_min_addr "
                + "and ends at or below TASK_SIZE; a length above TASK_SIZE is -ENOMEM.",
                MM, MMC + "GetUnmappedArea", "getUnmappedArea", MM, PLACE, "inBounds", SEED,
                "placementInBoundsRejectsMissingMinAddr", "do_mmap: mmap_min_addr not applied"),
        new Property("placement-no-overlap", "Without MAP_FIXED, the placed range (with guard gaps) meets no "
                + "VMA; with MAP_FIXED_NOREPLACE it meets none or the call fails with -EEXIST.",
                MM, MMC + "DoMmap", "doMmap", MM, PLACE, "overlapsNothing", SEED,
                "placementNoOverlapRejectsForgottenVma", "do_mmap: one VMA not seen by the search"),
        new Property("hint-rule", "A valid, free hint (page-aligned, non-zero, below the search's end, clear "
                + "of every VMA's start gap; for a THP file free with its PMD padding) comes back unchanged "
                + "(proved on all four architecture searches: x86_64's and the generic bottom-up and top-down ones; "
                + "the contract shown is x86_64's bottom-up one).",
                MM, MMC + "ArchGetUnmappedArea", "x86GetUnmappedArea", MM, PLACE, "hintHonoured", SEED,
                "hintRuleRejectsIgnoredHint", "do_mmap: hint ignored"),
        new Property("thp-best-effort", "The THP path fails only where the plain search fails: an aligned "
                + "try that does not fit falls back to the plain search with the original arguments.",
                MM, MMC + "AlignedArea", "thpGetUnmappedAreaVmflags", MM, PLACE, "bestEffort", SEED,
                "bestEffortRejectsMissingFallback", "aligned path: no fallback to the plain search"),
        new Property("aligned-congruence", "The aligned helper answers 0 (fall back), the free hint, or an "
                + "address congruent to the file offset modulo the leaf size.",
                MM, MMC + "AlignedArea", "thpGetUnmappedAreaAligned", MM, PLACE, "alignedHelperIsCongruent", SEED,
                "alignedCongruenceRejectsSwappedOffSub", "aligned helper: off_sub sign swapped"),
        new Property("leaf-choice", "The leaf chosen for a limit is a leaf of the table, not above the limit, "
                + "and no larger such leaf exists.",
                ARCH, "io.pfnmap.arch.core.Leaves", "largestLeafNotAbove", ARCH, "io.pfnmap.arch.LeafProperties",
                "largestLeafIsMaximalAndNotAbove", "io.pfnmap.arch.LeafProperties", "seededBugRoundingUpIsRejected",
                "rounds up"),
        new Property("no-over-alignment", "The order-hint design never aligns to a leaf larger than the BAR or "
                + "the length (rounded down to a power of two), and tries the largest such leaf first.",
                VFIO, "io.pfnmap.vfio.core.OrderHint", "orderHintSizes", VFIO, DESIGN, "orderHintNeverOverAligns", DESIGN,
                "seededVariantsAreRejected", "order hint not capped by the length"),
        new Property("aligned-sound", "An aligned result is in bounds, overlaps nothing, and is congruent at "
                + "one of the sizes tried (or is the plain answer).",
                MM, MMC + "AlignedHook", "mmGetUnmappedAreaAligned", VFIO, DESIGN, "alignedResultsAreSound", DESIGN,
                "seededVariantsAreRejected", "aligned result off by a page"),
        new Property("design-best-effort", "Every design succeeds wherever the plain search (design none) "
                + "succeeds: alignment gives way, the mmap does not fail.",
                MM, MMC + "AlignedHook", "getUnmappedAreaAligned", VFIO, DESIGN, "everyDesignIsBestEffort", DESIGN,
                "seededVariantsAreRejected", "aligned tries without the plain fallback"),
        new Property("fault-leaf-sound", "A fault inserts a leaf whose aligned block lies inside the VMA and "
                + "maps a pfn aligned to the leaf size.",
                VFIO, "io.pfnmap.vfio.core.VfioFault", "faultSize", VFIO, DESIGN, "faultsInsertSoundLeaves", DESIGN,
                "seededVariantsAreRejected", "fault ignores the pfn's alignment"),
        new Property("whole-bar-largest-leaves", "A whole BAR placed by the order-hint design is mapped by "
                + "BAR / L leaves of L, the largest pfnmap leaf not above the BAR.",
                VFIO, "io.pfnmap.vfio.core.VfioFault", "leafCounts", VFIO, DESIGN, "wholeBarTakesLargestLeaves",
                DESIGN, "seededVariantsAreRejected", "whole BAR placed by the plain search"),
        new Property("vfio-offset-round-trip", "A region index and a within-region offset encode into the "
                + "mmap offset and decode back (40-bit shift).",
                VFIO, "io.pfnmap.vfio.core.VfioPciOffset", "offsetToIndex", VFIO,
                "io.pfnmap.vfio.core.VfioPciOffsetProperties", "indexAndOffsetRoundTrip",
                "io.pfnmap.vfio.core.VfioPciOffsetProperties", "theSeededShift39IsRejected", "39-bit shift"),
        new Property("fault-profile-walk", "When every page of a mapping is touched, the driver's huge fault runs "
                + "once per PUD/PMD block the mapping meets (less the blocks a larger leaf maps), fallbacks "
                + "included, and at order 0 once per PTE: the same count as a page-by-page walk of the page tables "
                + "in ascending, descending or random order, and over areas that share entries.",
                VFIO, "io.pfnmap.vfio.core.VfioProfile", "hugeFaultCalls", VFIO,
                "io.pfnmap.vfio.core.VfioProfileProperties", "theCountedProfileIsTheWalkInEveryOrder",
                "io.pfnmap.vfio.core.VfioProfileProperties", "seededVariantsAreRejected",
                "huge fault offered at every fault"),
        new Property("split-areas", "A BAR's mmap areas around its MSI-X table are page-aligned, in order, and with "
                + "the table's pages cover the BAR exactly.",
                VFIO, "io.pfnmap.vfio.core.VfioSparse", "fixupMsixRegion", VFIO, "io.pfnmap.vfio.SplitProperties",
                "theAreasAreTheBarLessTheTablePages", "io.pfnmap.vfio.SplitProperties", "seededVariantsAreRejected",
                "areas cut at the table's bytes, not its pages"),
        new Property("v2-piece-congruence", "Under v2 a mapping's VA is congruent to its pgoff modulo PAGE_SIZE << "
                + "get_mapping_order() (the rule the v2 reviewers asked to document), or the plain answer stands.",
                VFIO, "io.pfnmap.vfio.core.VfioDesigns", "v2MappingSize", VFIO, "io.pfnmap.vfio.SplitProperties",
                "aV2PieceIsCongruentToItsOffset", "io.pfnmap.vfio.SplitProperties", "seededVariantsAreRejected",
                "v2 piece aligned to the size, not congruent"),
        new Property("dax-congruence", "Under the device-dax design a mapping without a hint is congruent to its "
                + "file offset modulo the device's alignment, or is the plain search's answer.",
                VFIO, "io.pfnmap.vfio.core.VfioDax", "daxGetUnmappedArea", VFIO, "io.pfnmap.vfio.DaxDesignTest",
                "daxIsCongruentToTheOffsetOrPlain", "io.pfnmap.vfio.DaxDesignTest", "seededVariantIsRejected",
                "dax aligned to the size, not congruent"),
        new Property("shmem-low-end", "shmem (anonymous MAP_SHARED, tmpfs, memfd) answers the plain search's "
                + "address or one in the area its inflated search found, less than the huge size above its start: "
                + "no top-down + size step as THP has (checked against 6.18 by LiveShmemTest).",
                MM, MMC + "GetUnmappedArea", "shmemGetUnmappedArea", MM, "io.pfnmap.mm.ShmemProperties", "modelLowEnd",
                "io.pfnmap.mm.ShmemProperties", "lowEndRejectsThpTopdownStep",
                "shmem: placed at the high end (THP's top-down + size)"),
        new Property("shmem-congruence", "An answer of shmem other than the plain search's is congruent to the "
                + "file offset modulo the huge size the knobs give it.",
                MM, MMC + "GetUnmappedArea", "shmemGetUnmappedArea", MM, "io.pfnmap.mm.ShmemProperties",
                "modelCongruent", "io.pfnmap.mm.ShmemProperties", "congruenceRejectsIgnoredOffset",
                "shmem: aligned to 0, not to the file offset"),
        new Property("hugetlb-aligned", "A hugetlb mapping (MAP_HUGETLB, or a hugetlbfs file) that is placed "
                + "starts on its huge page, and its length rounded up to the huge page is free and below TASK_SIZE "
                + "(checked against 6.18 by LiveHugetlbTest).", MM, MMC + "Hugetlb", "hugetlbGetUnmappedArea", MM,
                "io.pfnmap.mm.HugetlbProperties", "placementsAreHugeAlignedAndFree", "io.pfnmap.mm.HugetlbProperties",
                "eachSeededVariantFailsItsProperty", "no mask passed"),
        new Property("hugetlb-hint", "A hugetlb hint is rounded up to the huge page: where the plain search "
                + "takes that address for the rounded length, hugetlb takes it too.", MM, MMC + "Hugetlb",
                "hugetlbGetUnmappedArea", MM, "io.pfnmap.mm.HugetlbProperties", "aRoundedUpHintIsTaken",
                "io.pfnmap.mm.HugetlbProperties", "eachSeededVariantFailsItsProperty", "hint rounded down passed"),
        new Property("hugetlb-padded-fit", "Without a hint, a hugetlb mapping is placed wherever the plain search "
                + "finds its rounded length padded by the huge page less a page (the mask's padding).", MM,
                MMC + "Hugetlb", "ksysMmapPgoff", MM, "io.pfnmap.mm.HugetlbProperties", "aPaddedFitIsFound",
                "io.pfnmap.mm.HugetlbProperties", "eachSeededVariantFailsItsProperty", "unrounded length passed"));

    /** A test method: the declaration whose annotations include @Property, @Test or @Example. */
    public static Optional<Sources.Method> testMethod(Sources src, String file, String name) {
        for (Sources.Method m : src.methods(file, name)) {
            String a = src.annotation(m);
            if (a.contains("@Property") || a.contains("@Test") || a.contains("@Example")) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** What no longer resolves in the sources, one line each (empty: the catalogue is current). */
    public static List<String> problems(Sources src) {
        return problems(src, PROPERTIES);
    }

    /** What no longer resolves for these properties. */
    public static List<String> problems(Sources src, List<Property> properties) {
        List<String> out = new ArrayList<>();
        for (Property p : properties) {
            Optional<Sources.Method> core = src.method(p.coreFile(), p.coreMethod());
            if (core.isEmpty()) {
                out.add(p.id() + ": no method " + p.coreMethod() + " in " + p.coreFile());
            } else if (core.get().jml().isEmpty()) {
                out.add(p.id() + ": " + p.coreClass() + "#" + p.coreMethod() + " has no JML block");
            }
            if (testMethod(src, p.testFile(), p.testMethod()).isEmpty()) {
                out.add(p.id() + ": no @Property/@Test " + p.testMethod() + " in " + p.testFile());
            }
            Optional<Sources.Method> seeded = testMethod(src, p.seededFile(), p.seededMethod());
            if (seeded.isEmpty()) {
                out.add(p.id() + ": no seeded-variant test " + p.seededMethod() + " in " + p.seededFile());
            } else if (!src.body(seeded.get()).contains(p.seededLabel())) {
                out.add(p.id() + ": the seeded test " + p.seededMethod() + " no longer holds \"" + p.seededLabel() + "\"");
            }
        }
        return out;
    }
}
