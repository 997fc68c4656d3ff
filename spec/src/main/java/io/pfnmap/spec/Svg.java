package io.pfnmap.spec;

import io.pfnmap.mm.Hex;
import java.util.ArrayList;
import java.util.List;

/**
 * Drawing only: an address-space picture made of tracks (VMAs and guard gaps, the padded search
 * window, the plain answer, the chosen range, the leaves), over a zoomed window of the address
 * space with an overview strip of the whole space above it. Every coordinate comes from a model
 * result passed in; nothing is computed here but the scale.
 */
public final class Svg {
    /** A segment {@code [start, end)} of a track, with a style class and a label. */
    public record Seg(long start, long end, String style, String label) {
    }

    /** A track: a row label and its segments. */
    public record Track(String label, List<Seg> segs) {
    }

    private static final int W = 1000;
    private static final int LEFT = 175; // room for "cloud-hypervisor: searched"
    private static final int RIGHT = 20;
    private static final int TRACK_H = 30;
    private static final int GAP = 10;

    private static final String STYLE = "<style>"
            + "text{font-family:sans-serif;font-size:12px;fill:#222}"
            + ".t{font-size:14px;font-weight:bold}.small{font-size:10px;fill:#444}"
            + ".vma{fill:#9e9e9e;stroke:#555}.gap{fill:url(#hatch);stroke:#b71c1c}"
            + ".window{fill:#fff8e1;stroke:#ff8f00;stroke-dasharray:6 3}"
            + ".reservation{fill:#ede7f6;stroke:#5e35b1;stroke-dasharray:4 2}"
            + ".plain{fill:#eceff1;stroke:#607d8b;stroke-dasharray:3 2}"
            + ".result{fill:#1e88e5;stroke:#0d47a1}.error{fill:#e53935}"
            + ".leaf-pud{fill:#7b1fa2;stroke:#fff}.leaf-pmd{fill:#43a047;stroke:#fff}.leaf-pte{fill:#fb8c00;stroke:#fff}"
            + ".leaf-other{fill:#00897b;stroke:#fff}"
            + ".zoom{fill:none;stroke:#000;stroke-dasharray:2 2}.axis{stroke:#333}.tick{stroke:#999}"
            + "</style>";

    /** The hatching of guard gaps ({@code .gap} in {@link #STYLE}): every picture defines what its style uses. */
    private static final String DEFS = "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" "
            + "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
            + "fill=\"#ffebee\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b71c1c\" stroke-width=\"2\"/>"
            + "</pattern></defs>\n";

    private Svg() {
    }

    /**
     * The picture: {@code title}, the overview of {@code [0, top)} with {@code overview} segments,
     * then {@code tracks} over {@code [lo, hi)}, then {@code notes} lines under it.
     */
    public static String picture(String title, long top, List<Seg> overview, long lo, long hi, List<Track> tracks,
            List<String> notes) {
        int y = 24;
        int height = 24 + 20 + 16 + 30 + tracks.size() * (TRACK_H + GAP) + 40 + notes.size() * 16 + 10;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(height).append("\">\n");
        b.append(DEFS).append(STYLE).append('\n');
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
        b.append(text(8, y, "t", title));
        y += 20;
        // overview: the whole space, linear
        b.append(text(8, y + 11, "small", "whole space"));
        b.append(rect(LEFT, y, W - LEFT - RIGHT, 14, "fill:#fafafa;stroke:#ccc", null));
        for (Seg s : overview) {
            double x0 = xOf(s.start(), 0, top);
            double x1 = Math.max(x0 + 1.5, xOf(s.end(), 0, top));
            b.append(rect(x0, y, x1 - x0, 14, null, s.style()));
        }
        double z0 = xOf(lo, 0, top);
        double z1 = Math.max(z0 + 2, xOf(hi, 0, top));
        b.append(rect(z0 - 1, y - 2, z1 - z0 + 2, 18, null, "zoom"));
        b.append(text(LEFT, y + 28, "small", "0"));
        b.append(textEnd(W - RIGHT, y + 28, "small", Hex.of(top)));
        y += 16 + 30;
        // zoomed tracks
        for (Track t : tracks) {
            b.append(text(8, y + TRACK_H / 2 + 4, null, t.label()));
            b.append(rect(LEFT, y, W - LEFT - RIGHT, TRACK_H, "fill:#fcfcfc;stroke:#eee", null));
            for (Seg s : t.segs()) {
                long a = Long.compareUnsigned(s.start(), lo) < 0 ? lo : s.start();
                long e = Long.compareUnsigned(s.end(), hi) > 0 ? hi : s.end();
                if (Long.compareUnsigned(a, e) >= 0) {
                    continue;
                }
                double x0 = xOf(a, lo, hi);
                double x1 = Math.max(x0 + 1.5, xOf(e, lo, hi));
                b.append(rect(x0, y + 2, x1 - x0, TRACK_H - 4, null, s.style(), title(t, s)));
                if (s.label() != null && !s.label().isEmpty() && s.label().length() * 6.6 < x1 - x0 - 4) {
                    b.append(textMid((x0 + x1) / 2, y + TRACK_H / 2 + 4, s.style().startsWith("leaf")
                            || s.style().equals("result") ? "fill:#fff" : null, s.label()));
                }
            }
            y += TRACK_H + GAP;
        }
        // axis
        b.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(y).append("\" x2=\"")
                .append(W - RIGHT).append("\" y2=\"").append(y).append("\"/>\n");
        b.append(text(LEFT, y + 14, "small", Hex.of(lo)));
        b.append(textEnd(W - RIGHT, y + 14, "small", Hex.of(hi)));
        b.append(textMid((LEFT + W - RIGHT) / 2.0, y + 14, "small", "zoom: " + LeafTableDoc.size(hi - lo) + " shown"));
        y += 34;
        for (String n : notes) {
            b.append(text(8, y, "small", n));
            y += 16;
        }
        b.append("</svg>\n");
        return b.toString();
    }

    /** A bar/line plot: x categories, one series per name, log10 y when {@code log}. */
    public static String plot(String title, String yLabel, List<String> xs, List<String> names,
            List<double[]> series, boolean log) {
        int w = 1000;
        boolean rotate = xs.size() > 10;
        int bottom = rotate ? 150 : 50;
        int h = 310 + bottom;
        int left = 80;
        int right = 170;
        int top = 40;
        double max = 0;
        for (double[] s : series) {
            for (double v : s) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        double ymax = log ? Math.ceil(Math.log10(Math.max(10, max + 1))) : (max <= 0 ? 1 : max * 1.1);
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\">\n").append(DEFS).append(STYLE)
                .append('\n');
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
        b.append(text(8, 20, "t", title));
        int pw = w - left - right;
        int ph = h - top - bottom;
        b.append(rect(left, top, pw, ph, "fill:#fcfcfc;stroke:#ccc", null));
        int ticks = log ? (int) ymax : 4;
        for (int i = 0; i <= ticks; i++) {
            double yy = top + ph - ph * (double) i / ticks;
            String lab = log ? (i == 0 ? "1" : "1e" + i) : fmt(ymax * i / ticks);
            b.append("<line class=\"tick\" x1=\"").append(left).append("\" y1=\"").append(f(yy)).append("\" x2=\"")
                    .append(left + pw).append("\" y2=\"").append(f(yy)).append("\"/>\n");
            b.append(textEnd(left - 4, yy + 4, "small", lab));
        }
        b.append("<text x=\"14\" y=\"").append(top + ph / 2).append("\" transform=\"rotate(-90 14 ").append(top + ph / 2)
                .append(")\" class=\"small\">").append(Doc.esc(yLabel)).append("</text>\n");
        int n = xs.size();
        int k = names.size();
        double group = pw / (double) Math.max(1, n);
        double bar = Math.max(2, (group - 10) / Math.max(1, k));
        String[] colors = {"#607d8b", "#8e24aa", "#1e88e5", "#43a047", "#fb8c00", "#e53935", "#00897b", "#6d4c41"};
        for (int i = 0; i < n; i++) {
            double gx = left + group * i + 5;
            double lx = left + group * i + group / 2;
            if (rotate) {
                b.append("<text x=\"").append(f(lx)).append("\" y=\"").append(top + ph + 12).append("\" class=\"small\" "
                        + "text-anchor=\"end\" transform=\"rotate(-45 ").append(f(lx)).append(' ').append(top + ph + 12)
                        .append(")\">").append(Doc.esc(xs.get(i))).append("</text>\n");
            } else {
                b.append(textMid(lx, top + ph + 16, "small", xs.get(i)));
            }
            for (int j = 0; j < k; j++) {
                double v = series.get(j)[i];
                if (Double.isNaN(v)) {
                    b.append(textMid(gx + bar * j + bar / 2, top + ph - 4, "small", "x"));
                    continue;
                }
                double frac = log ? (v <= 0 ? 0 : Math.log10(v) / ymax) : v / ymax;
                double bh = Math.max(v > 0 ? 1.5 : 0, ph * frac);
                b.append(rect(gx + bar * j, top + ph - bh, bar - 1, bh, "fill:" + colors[j % colors.length], null));
            }
        }
        for (int j = 0; j < k; j++) {
            int ly = top + 14 + j * 18;
            b.append(rect(left + pw + 14, ly - 10, 12, 12, "fill:" + colors[j % colors.length], null));
            b.append(text(left + pw + 30, ly, null, names.get(j)));
        }
        if (max == 0) {
            b.append(textMid(left + pw / 2.0, top + ph / 2.0, "t", "every value is 0"));
        }
        b.append(text(left, h - 10, "small", log ? "log scale; x: not applicable / failed" : "x: not applicable / failed"));
        b.append("</svg>\n");
        return b.toString();
    }

    private static String fmt(double v) {
        return v >= 100 || v == Math.rint(v) ? String.valueOf(Math.round(v)) : String.format("%.1f", v);
    }

    private static double xOf(long v, long lo, long hi) {
        double span = unsigned(hi) - unsigned(lo);
        double frac = span <= 0 ? 0 : (unsigned(v) - unsigned(lo)) / span;
        return LEFT + frac * (W - LEFT - RIGHT);
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    private static String f(double d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d);
    }

    /**
     * A segment's tooltip, which also lets a reader (and a test) read its exact range: {@code
     * "track: label [start, end)"} in hex.
     */
    static String title(Track t, Seg s) {
        return t.label() + ": " + (s.label() == null ? "" : s.label() + " ") + "[" + Hex.of(s.start()) + ", "
                + Hex.of(s.end()) + ")";
    }

    private static String rect(double x, double y, double w, double h, String style, String cls, String title) {
        String r = rect(x, y, w, h, style, cls);
        return title == null ? r : r.substring(0, r.length() - 3) + "><title>" + Doc.esc(title) + "</title></rect>\n";
    }

    private static String rect(double x, double y, double w, double h, String style, String cls) {
        StringBuilder b = new StringBuilder("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"")
                .append(f(w)).append("\" height=\"").append(f(h)).append('"');
        if (cls != null) {
            b.append(" class=\"").append(cls).append('"');
        }
        if (style != null) {
            b.append(" style=\"").append(style).append('"');
        }
        return b.append("/>\n").toString();
    }

    private static String text(double x, double y, String cls, String t) {
        return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\"" + (cls == null ? "" : " class=\"" + cls + "\"") + ">"
                + Doc.esc(t) + "</text>\n";
    }

    private static String textEnd(double x, double y, String cls, String t) {
        return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" text-anchor=\"end\"" + (cls == null ? "" : " class=\"" + cls
                + "\"") + ">" + Doc.esc(t) + "</text>\n";
    }

    private static String textMid(double x, double y, String styleOrCls, String t) {
        String attr = styleOrCls == null ? "" : styleOrCls.contains(":") ? " style=\"" + styleOrCls + "\""
                : " class=\"" + styleOrCls + "\"";
        return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" text-anchor=\"middle\"" + attr + ">" + Doc.esc(t)
                + "</text>\n";
    }

    /** A convenience list builder. */
    public static List<Seg> segs(Seg... s) {
        return new ArrayList<>(List.of(s));
    }
}
