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

    /** A byte count as people read it: 0 B, 12 KB, 3.4 MB, 1.2 GB (powers of 1,024, as Microsoft 365 shows them). */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return (value < 10 ? String.format(java.util.Locale.ROOT, "%.1f", value) : Long.toString(Math.round(value)))
                + " " + units[unit];
    }

    public static String url(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The page for a sign-in that did not end signed in: consent declined, admin approval needed, or failed.
     *
     * @param whyConsent why the plugin needs the permissions, for the person who declined them
     * @param again      HTML with the ways on (try again, back)
     */
    public static void signInUnfinished(HttpServletResponse resp, String notice, SignInFlow.Outcome outcome,
                                        String whyConsent, String again) throws IOException {
        if (outcome instanceof SignInFlow.Outcome.Declined) {
            page(resp, 200, "You declined the permissions", notice, "<p class=\"lead\" id=\"declined\">"
                    + esc(whyConsent) + " Without your consent it cannot connect.</p>" + again);
        } else if (outcome instanceof SignInFlow.Outcome.NeedsAdminApproval a) {
            String link = esc(a.adminConsentUrl().toString());
            page(resp, 200, "Need admin approval", notice, "<p class=\"lead\" id=\"admin-approval\">Your "
                    + "organisation lets only administrators approve apps. Send this link to a tenant administrator; "
                    + "once they have approved Docbridge for the organisation, connect again.</p>"
                    + "<div class=\"copy-field\"><input id=\"admin-consent-url\" readonly aria-label=\"Admin approval "
                    + "link\" value=\"" + link + "\"><button type=\"button\" data-copy=\"admin-consent-url\" "
                    + "id=\"copy-admin-consent\">Copy link</button></div><p class=\"help\"><a id=\"admin-consent-link\" "
                    + "href=\"" + link + "\">Open the approval page</a> if you are a tenant administrator yourself.</p>"
                    + "<script src=\"/static/copy.js\" defer></script>" + again);
        } else if (outcome instanceof SignInFlow.Outcome.AdminApproved) {
            page(resp, 200, "Approved for your organisation", notice, "<p class=\"lead\" id=\"admin-approved\">"
                    + "The app is approved for everyone in your organisation. Connect again to sign in; nobody will "
                    + "be asked to approve it again.</p>" + again);
        } else if (outcome instanceof SignInFlow.Outcome.Failed f) {
            page(resp, 400, "Sign-in not completed", notice, "<p class=\"lead\" id=\"sign-in-failed\">"
                    + esc(f.message()) + "</p>" + again);
        } else {
            throw new IllegalArgumentException("signed in: " + outcome);
        }
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
