package io.pfnmap.spec;

import java.util.List;

/**
 * One page of the document, written as HTML and as Markdown at once, so the two versions cannot
 * drift. Text passed in is plain (escaped here); {@code `code`} spans are rendered in both.
 */
public final class Doc {
    private final String file;
    private final String title;
    private final StringBuilder html = new StringBuilder();
    private final StringBuilder md = new StringBuilder();

    public Doc(String file, String title) {
        this.file = file;
        this.title = title;
        h1(title);
    }

    public String file() {
        return file;
    }

    public String title() {
        return title;
    }

    public String html() {
        return html.toString();
    }

    public String markdown() {
        return md.toString();
    }

    private void h1(String t) {
        html.append("<h1>").append(inline(t)).append("</h1>\n");
        md.append("<a id=\"page-").append(file.replace(".html", "")).append("\"></a>\n\n# ").append(t).append("\n\n");
    }

    public Doc h2(String id, String t) {
        html.append("<h2 id=\"").append(esc(id)).append("\">").append(inline(t)).append("</h2>\n");
        md.append("<a id=\"").append(id).append("\"></a>\n\n## ").append(t).append("\n\n");
        return this;
    }

    public Doc h3(String id, String t) {
        html.append("<h3 id=\"").append(esc(id)).append("\">").append(inline(t)).append("</h3>\n");
        md.append("<a id=\"").append(id).append("\"></a>\n\n### ").append(t).append("\n\n");
        return this;
    }

    /** A paragraph; {@code `x`} becomes code, {@code [text](href)} a link. */
    public Doc p(String t) {
        html.append("<p>").append(inline(t)).append("</p>\n");
        md.append(mdText(t)).append("\n\n");
        return this;
    }

    public Doc bullets(List<String> items) {
        html.append("<ul>\n");
        for (String i : items) {
            html.append("<li>").append(inline(i)).append("</li>\n");
            md.append("- ").append(mdText(i)).append('\n');
        }
        html.append("</ul>\n");
        md.append('\n');
        return this;
    }

    /** A preformatted block (request and answer lines, contracts). */
    public Doc pre(String cls, String t) {
        html.append("<pre class=\"").append(esc(cls)).append("\">").append(esc(t)).append("</pre>\n");
        md.append("```\n").append(t).append("\n```\n\n");
        return this;
    }

    /** A table; cells are inline text. {@code cls} names it for tests and styles. */
    public Doc table(String cls, List<String> head, List<List<String>> rows) {
        html.append("<table class=\"").append(esc(cls)).append("\">\n<thead><tr>");
        for (String h : head) {
            html.append("<th>").append(inline(h)).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        md.append("| ").append(String.join(" | ", head.stream().map(Doc::mdCell).toList())).append(" |\n|");
        for (int i = 0; i < head.size(); i++) {
            md.append("---|");
        }
        md.append('\n');
        for (List<String> r : rows) {
            html.append("<tr>");
            for (String c : r) {
                html.append("<td>").append(inline(c)).append("</td>");
            }
            html.append("</tr>\n");
            md.append("| ").append(String.join(" | ", r.stream().map(Doc::mdCell).toList())).append(" |\n");
        }
        html.append("</tbody></table>\n");
        md.append('\n');
        return this;
    }

    /** A picture: {@code src} relative to the site root (img/x.svg). */
    public Doc img(String src, String alt) {
        html.append("<figure><img src=\"").append(esc(src)).append("\" alt=\"").append(esc(alt))
                .append("\"><figcaption>").append(inline(alt)).append("</figcaption></figure>\n");
        md.append("![").append(alt.replace("]", ")")).append("](").append(src).append(")\n\n");
        return this;
    }

    /** Links between pages become links to anchors of the one Markdown file. */
    static String mdText(String t) {
        return t.replaceAll("\\]\\(([a-z0-9-]+)\\.html#([^)]+)\\)", "](#$2)")
                .replaceAll("\\]\\(([a-z0-9-]+)\\.html\\)", "](#page-$1)");
    }

    private static String mdCell(String c) {
        return mdText(c).replace("|", "\\|").replace("\n", "<br>");
    }

    public static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Escapes, then renders {@code `code`} and {@code [text](href)}; newlines become breaks. */
    static String inline(String s) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '`') {
                int j = s.indexOf('`', i + 1);
                if (j > i) {
                    b.append("<code>").append(esc(s.substring(i + 1, j))).append("</code>");
                    i = j + 1;
                    continue;
                }
            }
            if (c == '[') {
                int close = s.indexOf("](", i);
                int end = close < 0 ? -1 : s.indexOf(')', close);
                if (close > i && end > close && s.substring(i, close).indexOf('`') < 0) {
                    b.append("<a href=\"").append(esc(s.substring(close + 2, end))).append("\">")
                            .append(esc(s.substring(i + 1, close))).append("</a>");
                    i = end + 1;
                    continue;
                }
            }
            if (c == '\n') {
                b.append("<br>");
            } else {
                b.append(esc(String.valueOf(c)));
            }
            i++;
        }
        return b.toString();
    }
}
