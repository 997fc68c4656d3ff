package io.pfnmap.verification.oracle;

import io.pfnmap.arch.ArchConfig;
import io.pfnmap.mm.Hex;
import io.pfnmap.mm.InvalidInputException;
import io.pfnmap.vfio.VfioDevice;
import io.pfnmap.vfio.VfioPolicy;
import io.pfnmap.vfio.VfioRegion;
import io.pfnmap.vfio.core.VfioPciOffset;
import java.util.ArrayList;
import java.util.List;

/** Decodes {@code "file": {"vfio_pci": {...}}}: the device, the design, the configuration it runs on. */
record VfioDecoder(VfioDevice device, VfioPolicy policy, ArchConfig arch) {

    /** {@code policyAllowed}: an mmap names its design; a fault does not (it has none). */
    static VfioDecoder decode(Fields top, ArchConfig arch0, boolean policyAllowed) {
        Node filev = top.get("file");
        if (filev == null) {
            throw top.invalid("file", "required: {\"vfio_pci\": {\"bars\": [...]}}");
        }
        Fields file = top.object(filev, "file");
        if (filev.size() != 1 || !filev.name(0).equals("vfio_pci")) {
            throw top.invalid("file", "an object must be {\"vfio_pci\": {...}} and nothing else, got member "
                    + Fields.quote(filev.size() == 0 ? "" : filev.name(filev.size() == 1 ? 0 : 1)));
        }
        Fields vo = file.object(filev.item(0), "vfio_pci");
        for (int i = 0; i < vo.object.size(); i++) {
            String name = vo.object.name(i);
            if (!RequestParser.VFIO_MEMBERS.contains(name) || !policyAllowed && name.equals("policy")) {
                throw vo.invalid(name, "unknown member; known: "
                        + (policyAllowed ? String.join(", ", RequestParser.VFIO_MEMBERS) : "bars, huge_pfnmap"));
            }
        }
        VfioPolicy policy = VfioPolicy.NONE;
        Node pv = vo.get("policy");
        if (pv != null) {
            String p = vo.string(pv, "policy");
            policy = VfioPolicy.byId(p).orElseThrow(() -> vo.invalid("policy", "unknown design " + Fields.quote(p)
                    + "; known: " + policyIds()));
        }
        ArchConfig arch = vo.bool("huge_pfnmap", true) ? arch0 : arch0.withoutHugePfnmap();
        Node bars = vo.get("bars");
        if (bars == null) {
            throw vo.invalid("bars", "required: [{\"index\": 0-5, \"size\": u64}, ...]");
        }
        if (!bars.is(Node.Kind.ARRAY)) {
            throw vo.invalid("bars", "must be an array of {\"index\", \"size\", \"flags\"} objects, got "
                    + bars.typeName());
        }
        List<VfioRegion> regions = new ArrayList<>();
        boolean[] seen = new boolean[VfioPciOffset.ROM];
        for (int i = 0; i < bars.size(); i++) {
            Fields b = vo.object(bars.item(i), "bars[" + i + "]");
            b.onlyKnown(RequestParser.BAR_MEMBERS, "unknown member; known: ");
            long index = b.required("index");
            if (index < 0 || index >= VfioPciOffset.ROM) {
                throw b.invalid("index", "must be a BAR index, 0 to 5, got " + Long.toUnsignedString(index));
            }
            if (seen[(int) index]) {
                throw b.invalid("index", "BAR " + index + " is given twice");
            }
            seen[(int) index] = true;
            long size = b.required("size");
            if (size <= 0 || Long.bitCount(size) != 1 || size > VfioRegion.MAX_BAR_SIZE) {
                throw b.invalid("size", "must be a power of two in [1, 2^62] (PCI BARs are naturally sized), got "
                        + Hex.of(size));
            }
            regions.add(VfioRegion.bar((int) index, size, mmapable(b)));
        }
        try {
            return new VfioDecoder(VfioDevice.of(regions), policy, arch);
        } catch (InvalidInputException e) {
            throw vo.invalid("bars", e.rule());
        }
    }

    /** Without "flags" a BAR is mmap-able; with them, only if "mmap" is listed. */
    private static boolean mmapable(Fields b) {
        Node fv = b.get("flags");
        return fv == null || b.names(fv, "flags", RequestParser.BAR_FLAGS, null, null).contains("mmap");
    }

    private static String policyIds() {
        List<String> ids = new ArrayList<>();
        for (VfioPolicy p : VfioPolicy.values()) {
            ids.add(p.id());
        }
        return String.join(", ", ids);
    }
}
