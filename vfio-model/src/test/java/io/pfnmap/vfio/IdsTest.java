package io.pfnmap.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The protocol ids the oracle reads and writes stay as they were spelled when each enum listed them. */
class IdsTest {

    @Test
    void policyIdsAreTheProtocolsAndEachIsFoundByIt() {
        List<String> ids = Arrays.stream(VfioPolicy.values()).map(VfioPolicy::id).toList();
        assertEquals(List.of("none", "v1", "order-hint", "v2", "thp", "qemu", "dax", "cloud-hypervisor"), ids);
        for (VfioPolicy p : VfioPolicy.values()) {
            assertEquals(p, VfioPolicy.byId(p.id()).orElseThrow());
        }
        assertEquals(java.util.Optional.empty(), VfioPolicy.byId("ORDER_HINT"));
    }

    @Test
    void touchIdsAreTheProtocolsAndEachIsFoundByIt() {
        List<String> ids = Arrays.stream(Touch.values()).map(Touch::id).toList();
        assertEquals(List.of("ascending", "descending", "random"), ids);
        for (Touch t : Touch.values()) {
            assertEquals(t, Touch.byId(t.id()).orElseThrow());
        }
    }
}
