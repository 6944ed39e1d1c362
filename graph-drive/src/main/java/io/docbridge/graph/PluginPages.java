package io.docbridge.graph;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** The Microsoft plugins' own pages (setup steps, sign-in outcomes): the host's stylesheet, everything escaped. */
public final class PluginPages {
    private PluginPages() {
    }

    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    public static String url(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A page; {@code body} is HTML the caller built with {@link #esc}. */
    public static void page(HttpServletResponse resp, int status, String title, String notice, String body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/html; charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write("""
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s · Docbridge</title>
                <link rel="stylesheet" href="/static/app.css"></head><body>
                <header class="topbar"><a class="brand" href="/documents">◧ Docbridge</a></header>
                <main class="content">%s<section class="card"><h1>%s</h1>%s</section></main></body></html>
                """.formatted(esc(title), notice.isEmpty() ? "" : "<div class=\"flash flash-info\" id=\"m365-notice\">"
                + esc(notice) + "</div>", esc(title), body));
    }
}
