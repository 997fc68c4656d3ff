package io.pfnmap.spec;

import io.pfnmap.arch.Arch;
import io.pfnmap.arch.ArchConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the leaf-size table of every arch-model configuration ({@link Arch#allConfigs()}) as
 * Markdown: id, PAGE_SIZE, leaf sizes, contiguous-bit sizes, and whether a pfnmap fault may insert
 * PMD and PUD leaves. Formatting only; every fact comes from arch-model.
 *
 * <p>Usage: {@code LeafTableDoc [output.md]}, default {@value #DEFAULT_OUTPUT} (relative to the
 * working directory, i.e. the project root).
 */
public final class LeafTableDoc {
    private LeafTableDoc() {
    }

    /** Where {@link #main} writes when given no path. */
    public static final String DEFAULT_OUTPUT = "spec/target/spec/leaf-sizes.md";

    private static final long K = 1024L;
    private static final String[] UNITS = {"E", "P", "T", "G", "M", "K"};

    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : DEFAULT_OUTPUT);
        write(out);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** Writes {@link #markdown()} to {@code out}, creating its folder. */
    public static void write(Path out) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, markdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    /** The table of every configuration of {@link Arch#allConfigs()}. */
    public static String markdown() {
        return markdown(Arch.allConfigs());
    }

    /** The table of these configurations, one row each, in the order given. */
    public static String markdown(List<ArchConfig> configs) {
        StringBuilder b = new StringBuilder();
        b.append("# Leaf sizes per configuration\n\n");
        b.append("Generated from arch-model (`io.pfnmap.arch.Arch.allConfigs()`); kernel-facts part 2. ")
                .append("Leaf and contiguous sizes are listed largest first. PMD/PUD pfnmap: whether a ")
                .append("VM_PFNMAP fault may insert a leaf at that level (`ARCH_SUPPORTS_PMD_PFNMAP`, ")
                .append("`ARCH_SUPPORTS_PUD_PFNMAP`).\n\n");
        b.append("| id | PAGE_SIZE | leaf sizes | contiguous sizes | PMD pfnmap | PUD pfnmap |\n");
        b.append("|---|---|---|---|---|---|\n");
        for (ArchConfig c : configs) {
            b.append("| ").append(c.id())
                    .append(" | ").append(size(c.pageSize()))
                    .append(" | ").append(sizes(c.leafSizesDescending()))
                    .append(" | ").append(sizes(c.contiguousSizes().stream().mapToLong(Long::longValue).toArray()))
                    .append(" | ").append(yesNo(c.pmdPfnmap()))
                    .append(" | ").append(yesNo(c.pudPfnmap()))
                    .append(" |\n");
        }
        return b.toString();
    }

    /** A byte size in the largest binary unit that divides it: 4096 is "4K", 2^31 is "2G". */
    public static String size(long bytes) {
        if (bytes <= 0) {
            return Long.toString(bytes);
        }
        long unit = K * K * K * K * K * K;
        for (String name : UNITS) {
            if (bytes % unit == 0) {
                return (bytes / unit) + name;
            }
            unit /= K;
        }
        return bytes + "B";
    }

    /** Sizes joined by ", ", or "none". */
    public static String sizes(long[] bytes) {
        if (bytes.length == 0) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(size(bytes[i]));
        }
        return b.toString();
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
