package io.pfnmap.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The internal references of an HTML text (href, src) that do not resolve inside the site. */
final class SiteLinks {
    private SiteLinks() {
    }

    private static final Pattern REF = Pattern.compile("\\s(?:href|src)=\"([^\"]*)\"");

    static List<String> refs(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = REF.matcher(html);
        while (m.find()) {
            out.add(m.group(1).replace("&amp;", "&"));
        }
        return out;
    }

    /** Broken references of {@code html}, a page of {@code dir} named {@code page}. */
    static List<String> broken(Path dir, String page, String html) {
        List<String> bad = new ArrayList<>();
        for (String ref : refs(html)) {
            if (ref.startsWith("http:") || ref.startsWith("https:") || ref.startsWith("mailto:")) {
                continue; // none expected; not internal
            }
            String target = ref.startsWith("file://") ? ref.substring("file://".length()) : ref;
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            String frag = hash < 0 ? null : target.substring(hash + 1);
            Path p = file.isEmpty() ? dir.resolve(page) : file.startsWith("/") ? Path.of(file) : dir.resolve(file);
            p = p.normalize();
            if (!Files.isRegularFile(p)) {
                bad.add(page + ": " + ref + " (no file " + p + ")");
                continue;
            }
            if (frag != null && !frag.isEmpty()) {
                String text = read(p);
                if (!text.contains("id=\"" + frag + "\"")) {
                    bad.add(page + ": " + ref + " (no id " + frag + " in " + p.getFileName() + ")");
                }
            }
        }
        return bad;
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
