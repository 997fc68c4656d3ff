package io.pfnmap.demos;

import io.pfnmap.mm.*;
import io.pfnmap.vfio.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo prints, for each design, what the model computes (not a text of its own). */
class BarDemoTest {

    @Test
    void everyDesignRowMatchesTheModel() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        BarDemo.run(new PrintStream(buf, true, StandardCharsets.UTF_8), List.of("x86_64"));
        String out = buf.toString(StandardCharsets.UTF_8);
        long rows = out.lines().filter(l -> l.startsWith("  empty ") || l.startsWith("  crowded ")).count();
        assertEquals(2L * VfioPolicy.values().length, rows, out);
        // the seed's headline: order-hint gives a whole 16 GiB BAR 16 PUD leaves on x86_64 ...
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s+empty\\s+order-hint\\s+\\S+\\s+16x1G\\s+16\\s.*")), out);
        // ... and mainline today (none) maps it with 4 KiB pages only
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s+empty\\s+none\\s+\\S+\\s+4194304x4K\\s.*")), out);
    }

    @Test
    void theSplitBarRowsAreTheModelsDevices() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        BarDemo.runSplit(new PrintStream(buf, true, StandardCharsets.UTF_8), "x86_64");
        String out = buf.toString(StandardCharsets.UTF_8);
        VfioSplit.Scenario nic = VfioSplit.scenarios(4096, false).get(1);
        for (VfioPolicy p : VfioPolicy.values()) {
            VfioSplit.DeviceOutcome o = VfioSplit.map(Compare.empty(Compare.mmFor(io.pfnmap.arch.Arch.X86_64.config())),
                    io.pfnmap.arch.Arch.X86_64.config(), nic, p);
            String faults = " " + o.profile().faults() + " ";
            assertTrue(out.lines().anyMatch(l -> l.startsWith("  " + p.id() + " ") && l.contains(faults)
                    && l.contains(Compare.leaves(o.profile()))), p.id() + "\n" + out);
        }
    }
}
