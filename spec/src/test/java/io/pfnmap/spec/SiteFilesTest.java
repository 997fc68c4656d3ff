package io.pfnmap.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Without a browser: every internal link of every page and of spec.md resolves; every SVG parses and has content. */
class SiteFilesTest {
    @Test
    void everyInternalLinkResolves() {
        List<String> bad = new ArrayList<>();
        int refs = 0;
        for (String[] p : SiteGenerator.PAGES) {
            String html = Site.read(p[0]);
            refs += SiteLinks.refs(html).size();
            bad.addAll(SiteLinks.broken(Site.dir(), p[0], html));
        }
        assertEquals(List.of(), bad);
        assertTrue(refs > 100, "references checked: " + refs);
        // the checker itself finds a broken one
        assertEquals(2, SiteLinks.broken(Site.dir(), "x.html", "<a href=\"nope.html\">a</a> <img src=\"index.html#no-such-id\">")
                .size());
    }

    @Test
    void theMarkdownLinksResolve() {
        String md = Site.read("spec.md");
        Matcher m = Pattern.compile("\\]\\(([^)\\s]+)\\)").matcher(md);
        List<String> bad = new ArrayList<>();
        int n = 0;
        while (m.find()) {
            String ref = m.group(1);
            n++;
            if (ref.startsWith("#")) {
                if (!md.contains("<a id=\"" + ref.substring(1) + "\"></a>")) {
                    bad.add(ref);
                }
            } else if (!Files.isRegularFile(Site.dir().resolve(ref).normalize())) {
                bad.add(ref);
            }
        }
        assertEquals(List.of(), bad);
        assertTrue(n > 100, "Markdown links checked: " + n);
    }

    @Test
    void everyPictureParsesAndHasContent() throws Exception {
        List<Path> svgs;
        try (var s = Files.list(Site.dir().resolve("img"))) {
            svgs = s.filter(f -> f.toString().endsWith(".svg")).sorted().toList();
        }
        assertTrue(svgs.size() > 40, "pictures: " + svgs.size());
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setNamespaceAware(true);
        for (Path p : svgs) {
            byte[] bytes = Files.readAllBytes(p);
            Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
            Element root = d.getDocumentElement();
            assertEquals("svg", root.getLocalName(), p.toString());
            assertTrue(Integer.parseInt(root.getAttribute("width")) > 100, p + " width");
            assertTrue(Integer.parseInt(root.getAttribute("height")) > 100, p + " height");
            int shapes = d.getElementsByTagNameNS("*", "rect").getLength();
            int texts = d.getElementsByTagNameNS("*", "text").getLength();
            assertTrue(shapes >= 5 && texts >= 3, p + ": rects " + shapes + ", texts " + texts);
            // every url(#id) the picture uses is defined in it
            String text = new String(bytes, StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("url\\(#([^)]+)\\)").matcher(text);
            while (m.find()) {
                assertTrue(text.contains("id=\"" + m.group(1) + "\""), p + ": undefined " + m.group(1));
            }
        }
        // every picture is shown by a page, and every page's picture exists
        StringBuilder all = new StringBuilder();
        for (String[] p : SiteGenerator.PAGES) {
            all.append(Site.read(p[0]));
        }
        for (Path p : svgs) {
            assertTrue(all.indexOf("src=\"img/" + p.getFileName() + "\"") >= 0, "not shown: " + p.getFileName());
        }
    }
}
