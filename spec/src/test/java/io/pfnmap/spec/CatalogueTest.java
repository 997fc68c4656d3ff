package io.pfnmap.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catalogue's references resolve in the sources, so it cannot rot; and the check can fail. */
class CatalogueTest {
    private final Sources src = new Sources(Site.root());

    @Test
    void everyReferenceExists() {
        List<String> problems = Catalogue.problems(src);
        assertEquals(List.of(), problems, "the catalogue no longer matches the sources");
        assertTrue(Catalogue.PROPERTIES.size() >= 15);
    }

    @Test
    void idsAreUnique() {
        Set<String> ids = new HashSet<>();
        for (Catalogue.Property p : Catalogue.PROPERTIES) {
            assertTrue(ids.add(p.id()), "duplicate id " + p.id());
        }
    }

    @Test
    void everyContractIsReadFromTheSource() {
        for (Catalogue.Property p : Catalogue.PROPERTIES) {
            Sources.Method m = src.method(p.coreFile(), p.coreMethod()).orElseThrow();
            assertTrue(m.jml().startsWith("/*@") && m.jml().endsWith("@*/"), p.id() + ": " + m.jml());
            assertTrue(m.declaration().contains(" " + p.coreMethod() + "("), m.declaration());
            assertFalse(m.javadoc().isEmpty(), p.id() + " has no Javadoc");
        }
        // a known contract, line for line
        Sources.Method aligned = src.method("mm-model/src/main/java/io/pfnmap/mm/core/AlignedArea.java",
                "thpGetUnmappedAreaAligned").orElseThrow();
        assertTrue(aligned.jml().contains("ensures \\result == NO_ALIGNED_AREA || \\result == addr"
                + " || Arith.remU((long) (\\result - off), size) == 0;"), aligned.jml());
    }

    @Test
    void seededWrongReferencesAreCaught() {
        Catalogue.Property good = Catalogue.PROPERTIES.get(0);
        List<Catalogue.Property> wrong = new ArrayList<>();
        wrong.add(new Catalogue.Property("x1", "", good.module(), good.coreClass(), "noSuchMethod", good.testModule(),
                good.testClass(), good.testMethod(), good.seededClass(), good.seededMethod(), good.seededLabel()));
        wrong.add(new Catalogue.Property("x2", "", good.module(), good.coreClass(), good.coreMethod(), good.testModule(),
                good.testClass(), "noSuchProperty", good.seededClass(), good.seededMethod(), good.seededLabel()));
        wrong.add(new Catalogue.Property("x3", "", good.module(), good.coreClass(), good.coreMethod(), good.testModule(),
                good.testClass(), good.testMethod(), good.seededClass(), good.seededMethod(), "a label nobody prints"));
        // a helper with the property's name that is not a test (SearchProperties#inBounds(Search, Info))
        wrong.add(new Catalogue.Property("x4", "", good.module(), good.coreClass(), good.coreMethod(), good.testModule(),
                good.testClass(), "stacksAboveGuardGap", good.seededClass(), good.seededMethod(), good.seededLabel()));
        List<String> problems = Catalogue.problems(src, wrong);
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("noSuchMethod"));
        assertTrue(problems.get(1).contains("noSuchProperty"));
        assertTrue(problems.get(2).contains("a label nobody prints"));
    }

    @Test
    void kernelReferencesAreRead() {
        List<String[]> refs = Sources.kernelRefs("{@code unmapped_area_topdown} (mm/vma.c): the highest fit");
        assertEquals(1, refs.size());
        assertEquals("unmapped_area_topdown", refs.get(0)[0]);
        assertEquals("mm/vma.c", refs.get(0)[1]);
        List<KernelMap.Entry> entries = KernelMap.entries(src);
        assertTrue(entries.size() > 40, "core functions found: " + entries.size());
        KernelMap.Entry doMmap = entries.stream().filter(e -> e.className().equals("DoMmap") && e.method().equals("doMmap"))
                .findFirst().orElseThrow();
        assertEquals("do_mmap", doMmap.kernelFunction());
        assertEquals("mm/mmap.c", doMmap.kernelFile());
        // read from each method's @Kernel annotation, by reflection
        for (String[] x : List.of(new String[] {"UnmappedArea", "unmappedArea", "unmapped_area", "mm/vma.c"},
                new String[] {"UnmappedArea", "unmappedAreaTopdown", "unmapped_area_topdown", "mm/vma.c"},
                new String[] {"GetUnmappedArea", "shmemGetUnmappedArea", "shmem_get_unmapped_area", "mm/shmem.c"},
                new String[] {"Hugetlb", "isHugetlbFile", "is_file_hugepages", "include/linux/hugetlb.h"},
                new String[] {"VfioFault", "leafFits", "vfio_pci_mmap_huge_fault", "drivers/vfio/pci/vfio_pci_core.c"})) {
            KernelMap.Entry e = entries.stream().filter(y -> y.className().equals(x[0]) && y.method().equals(x[1]))
                    .findFirst().orElseThrow();
            assertEquals(x[2] + " " + x[3], e.kernelFunction() + " " + e.kernelFile(), x[0] + "." + x[1]);
        }
        assertTrue(entries.stream().anyMatch(e -> e.kernelFunction().isEmpty()), "a lemma stands for no kernel function");
    }
}
