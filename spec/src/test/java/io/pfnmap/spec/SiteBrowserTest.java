package io.pfnmap.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Opens every page in headless Chromium (Debian's {@code chromium}): the page loads and runs its
 * self-check, every picture renders (naturalWidth and naturalHeight above 0, none broken), every
 * internal link of the loaded DOM resolves, and a PNG screenshot of each page is kept in
 * {@code spec/target/screenshots}. Skips loudly where Chromium is missing.
 */
class SiteBrowserTest {
    private static String chromium;

    /** Finds Chromium, or skips the calling test loudly (reported as skipped, with the reason). */
    static void findChromium() {
        // -Dspec.chromium=<path> names the one binary to use (a missing path shows the skip)
        String only = System.getProperty("spec.chromium");
        String env = System.getenv("CHROMIUM");
        String[] candidates = only != null ? new String[] {only}
                : new String[] {env, "/usr/bin/chromium", "/usr/bin/chromium-browser"};
        for (String c : candidates) {
            if (c != null && new File(c).canExecute()) {
                chromium = c;
                return;
            }
        }
        String reason = "chromium not found (" + String.join(", ", java.util.Arrays.stream(candidates)
                .filter(java.util.Objects::nonNull).toList()) + "; apt-get install chromium, as .ci/run does)";
        System.out.println("SKIPPED chromium site test: " + reason);
        Assumptions.abort(reason);
    }

    /** Runs Chromium headless on {@code url} with a fresh profile; returns stdout. */
    private static String run(Path tmp, String url, String... extra) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "profile");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--virtual-time-budget=10000"));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        Path out = tmp.resolve("out-" + System.nanoTime() + ".txt");
        Path err = tmp.resolve("err-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s on " + url);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "chromium exit on " + url + ": " + tail(err));
        return stdout;
    }

    private static String tail(Path p) throws IOException {
        String s = Files.readString(p, StandardCharsets.UTF_8);
        return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    }

    private static String attr(String body, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(body);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void everyPageLoadsRendersItsPicturesAndLinks() throws Exception {
        findChromium();
        Path shots = Site.module().resolve("target/screenshots");
        Files.createDirectories(shots);
        Path tmp = Files.createTempDirectory("spec-chromium");
        List<String> report = new ArrayList<>();
        int pictures = 0;
        Set<String> seenImages = new HashSet<>();
        for (String[] page : SiteGenerator.PAGES) {
            Path file = Site.dir().resolve(page[0]);
            String url = file.toUri().toString();
            String dom = run(tmp, url, "--dump-dom");
            assertTrue(dom.contains("<nav>") && dom.contains("</main>"), page[0] + ": the page did not load");
            Matcher body = Pattern.compile("<body[^>]*>").matcher(dom);
            assertTrue(body.find(), page[0] + ": no body");
            String tag = body.group();
            assertEquals("yes", attr(tag, "data-checked"), page[0] + ": the self-check did not run: " + tag);
            int expected = SiteLinks.refs(SiteLinks.read(file)).stream().filter(r -> r.startsWith("img/"))
                    .mapToInt(r -> 1).sum();
            assertEquals(Integer.toString(expected), attr(tag, "data-images"), page[0] + ": images in the DOM");
            assertEquals(Integer.toString(expected), attr(tag, "data-images-ok"), page[0] + ": images rendered; broken: "
                    + attr(tag, "data-images-broken"));
            assertEquals("", attr(tag, "data-images-broken"), page[0]);
            assertEquals(List.of(), SiteLinks.broken(Site.dir(), page[0], dom), page[0] + ": links of the loaded DOM");
            for (String r : SiteLinks.refs(dom)) {
                if (r.startsWith("img/")) {
                    seenImages.add(r);
                }
            }
            pictures += expected;
            Path png = shots.resolve(page[0].replace(".html", ".png"));
            Files.deleteIfExists(png);
            run(tmp, url, "--window-size=1400,2400", "--screenshot=" + png);
            assertTrue(Files.isRegularFile(png), page[0] + ": no screenshot");
            BufferedImage img = ImageIO.read(png.toFile());
            assertEquals(1400, img.getWidth(), page[0] + " screenshot width");
            assertTrue(distinctColours(img) > 8, page[0] + ": the screenshot is blank");
            report.add(page[0] + ": loaded, " + expected + " pictures rendered, screenshot " + png.getFileName());
        }
        // one rendering of a picture by itself, so a blank SVG cannot hide inside a page
        Path one = shots.resolve("picture-bar16g-x86_64-order-hint.png");
        run(tmp, Site.dir().resolve("img/bar16g-x86_64-order-hint.svg").toUri().toString(), "--window-size=1000,400",
                "--screenshot=" + one);
        assertTrue(distinctColours(ImageIO.read(one.toFile())) > 8, "the 16 GiB picture renders blank");
        for (String line : report) {
            System.out.println("chromium " + line);
        }
        System.out.println("chromium: " + SiteGenerator.PAGES.size() + " pages, " + pictures + " pictures ("
                + seenImages.size() + " distinct) rendered; screenshots in " + shots);
        deleteTree(tmp);
    }

    private static int distinctColours(BufferedImage img) {
        Set<Integer> c = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                c.add(img.getRGB(x, y));
                if (c.size() > 64) {
                    return c.size();
                }
            }
        }
        return c.size();
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
