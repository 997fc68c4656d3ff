package io.pfnmap.verification.live;

import com.google.common.collect.ImmutableList;
import io.pfnmap.mm.Vma;
import io.pfnmap.mm.VmaFlag;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed recorder run (verification/conformance/src/test/c/README.md gives the format): the ENV header and
 * the calls. {@code [vsyscall]} is left out (it is not a VMA of the mm); {@code [stack]} is
 * VM_GROWSDOWN.
 */
public record Recording(Map<String, String> env, ImmutableList<RecordedCall> calls, int declaredCalls,
        ImmutableList<String> facts) {

    /** ADDR_COMPAT_LAYOUT in the personality (include/uapi/linux/personality.h). */
    public static final long ADDR_COMPAT_LAYOUT = 0x0200000;

    public long personality() {
        return Long.parseUnsignedLong(strip(env.get("personality")), 16);
    }

    public long stackRlimit() {
        return Long.parseUnsignedLong(strip(env.get("stack_rlimit")), 16);
    }

    public boolean legacyVaLayout() {
        return !"0".equals(env.getOrDefault("legacy_va_layout", "0").trim());
    }

    public long mmapMinAddrSysctl() {
        return Long.parseLong(env.get("mmap_min_addr_sysctl").trim());
    }

    /**
     * The value of {@code key} in the FACT line that starts with {@code topic} (the qemu /init and
     * the recorder write lines such as {@code FACT thp hpage_pmd_size=2097152}); null if absent.
     */
    public String fact(String topic, String key) {
        for (String f : facts) {
            String[] w = f.split(" ");
            if (w.length > 1 && w[0].equals(topic)) {
                for (int i = 1; i < w.length; i++) {
                    if (w[i].startsWith(key + "=")) {
                        return w[i].substring(key.length() + 1);
                    }
                }
            }
        }
        return null;
    }

    private static String strip(String hex) {
        return hex.startsWith("0x") ? hex.substring(2) : hex;
    }

    private static long hex(String s) {
        if (!s.startsWith("0x")) {
            throw new IllegalArgumentException("not hex: " + s);
        }
        return Long.parseUnsignedLong(s.substring(2), 16);
    }

    /** Parses a recording; {@code source} names it in messages. Malformed lines fail the parse. */
    public static Recording parse(String source, BufferedReader in) throws IOException {
        Map<String, String> env = new HashMap<>();
        List<String> facts = new ArrayList<>();
        List<RecordedCall> calls = new ArrayList<>();
        int declared = -1;
        String[] call = null;
        List<Vma> vmas = new ArrayList<>();
        List<HugePool> pools = new ArrayList<>();
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            String[] f = line.split(" ");
            switch (f[0]) {
                case "ENV" -> {
                    for (int i = 1; i < f.length; i++) {
                        int eq = f[i].indexOf('=');
                        env.put(f[i].substring(0, eq), f[i].substring(eq + 1));
                    }
                }
                case "CALL" -> {
                    call = f;
                    vmas = new ArrayList<>();
                    pools = new ArrayList<>();
                }
                case "HUGE" -> {
                    if (call == null) {
                        throw new IOException(source + ":" + lineNo + ": HUGE without CALL");
                    }
                    Map<String, Long> n = new HashMap<>();
                    for (int i = 2; i < f.length; i++) {
                        int eq = f[i].indexOf('=');
                        n.put(f[i].substring(0, eq), Long.parseLong(f[i].substring(eq + 1)));
                    }
                    pools.add(new HugePool(hex(f[1]), n.get("free"), n.get("resv"), n.get("surplus"),
                            n.get("overcommit")));
                }
                case "MAP" -> {
                    String name = line.split(" ", 5).length == 5 ? line.split(" ", 5)[4] : "-";
                    if (name.equals("[vsyscall]")) {
                        continue;
                    }
                    Vma v = name.equals("[stack]") ? Vma.of(hex(f[1]), hex(f[2]), VmaFlag.GROWSDOWN)
                            : Vma.of(hex(f[1]), hex(f[2]));
                    vmas.add(v);
                }
                case "RET", "ERR" -> {
                    if (call == null) {
                        throw new IOException(source + ":" + lineNo + ": result without CALL");
                    }
                    long result = f[0].equals("RET") ? hex(f[1]) : -Long.parseLong(f[1]);
                    Map<String, String> a = new HashMap<>();
                    for (int i = 2; i < call.length; i++) {
                        int eq = call[i].indexOf('=');
                        a.put(call[i].substring(0, eq), call[i].substring(eq + 1));
                    }
                    calls.add(new RecordedCall(source, Integer.parseInt(call[1]), a.get("kind").equals("file"),
                            hex(a.get("flags")), hex(a.get("addr")), hex(a.get("len")), hex(a.get("pgoff")),
                            ImmutableList.copyOf(vmas), result, ImmutableList.copyOf(pools)));
                    call = null;
                }
                case "FACT" -> facts.add(line.substring("FACT ".length()));
                case "UNMAP", "" -> {
                }
                case "END" -> declared = Integer.parseInt(f[1].substring("calls=".length()));
                default -> throw new IOException(source + ":" + lineNo + ": unknown record " + f[0]);
            }
        }
        return new Recording(Map.copyOf(env), ImmutableList.copyOf(calls), declared, ImmutableList.copyOf(facts));
    }
}
