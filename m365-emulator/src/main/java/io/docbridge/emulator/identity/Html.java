package io.docbridge.emulator.identity;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/** The emulator's sign-in pages: plain HTML in Microsoft's layout, everything interpolated escaped. */
final class Html {
    private Html() {
    }

    static String esc(String s) {
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

    static void page(HttpServletResponse resp, int status, String title, String body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/html; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.getWriter().write("""
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s</title>
                <style>
                body{font:15px "Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0;color:#1b1b1b}
                .box{background:#fff;max-width:440px;margin:60px auto;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
                .ms{font-weight:600;color:#737373;margin-bottom:16px}
                h1{font-size:24px;font-weight:600;margin:0 0 16px}
                input[type=text],input[type=password]{width:100%%;box-sizing:border-box;border:0;border-bottom:1px solid #666;padding:6px 0;margin:8px 0 16px;font:inherit}
                button{background:#0067b8;color:#fff;border:0;padding:8px 28px;font:inherit;cursor:pointer;margin-right:8px}
                button.secondary{background:#ccc;color:#000}
                .error{color:#e81123;margin:8px 0}.hint{background:#f3f9fd;border:1px solid #c7e0f4;padding:10px;font-size:13px;margin-top:24px}
                .code{font-family:monospace;font-size:12px;color:#666}
                ul{padding-left:20px}
                </style></head><body><div class="box"><div class="ms">Microsoft (emulated)</div>%s</div></body></html>
                """.formatted(esc(title), body));
    }

    /** A page that POSTs the fields to the target at once (response_mode=form_post), as Microsoft's does. */
    static void formPost(HttpServletResponse resp, String target, Map<String, String> fields) throws IOException {
        StringBuilder inputs = new StringBuilder();
        fields.forEach((k, v) -> inputs.append("<input type=\"hidden\" name=\"").append(esc(k)).append("\" value=\"")
                .append(esc(v)).append("\">"));
        resp.setContentType("text/html; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write("<!DOCTYPE html><html><head><title>Working...</title></head>"
                + "<body onload=\"document.forms[0].submit()\"><form method=\"POST\" name=\"hiddenform\" action=\""
                + esc(target) + "\">" + inputs + "<noscript><p>Script is disabled. Click Submit to continue.</p>"
                + "<input type=\"submit\" value=\"Submit\"></noscript></form></body></html>");
    }
}
