package io.docbridge.graph;

import io.docbridge.api.HostContext;
import io.docbridge.api.Setup;
import io.docbridge.api.SignInResult;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Microsoft plugins' own pages (setup steps, sign-in outcomes), from the templates under {@code graph/}, rendered
 * by the host inside its frame (so escaped, and with its navigation).
 */
public final class SetupPages {
    private SetupPages() {
    }

    /** A button on a page: its element id, its words, and where it goes (below the plugin's servlets, or a path). */
    public record Link(String id, String label, String href) {
    }

    /** A page that says one thing ({@code id} names its paragraph, for tests and scripts) and offers ways on. */
    public static void message(HostContext host, HttpServletRequest req, HttpServletResponse resp, int status,
                               String title, String id, String message, String advice, Link... links)
            throws IOException {
        host.pages().render(req, resp, status, title, "graph/message.ftlh", Map.of("id", id, "message", message,
                "advice", advice == null ? "" : advice, "links", List.of(links)));
    }

    /**
     * The setup a step's request continues (its {@code setup} parameter); if it has ended, or was started in another
     * browser, a page says so with the way back, and the answer is empty.
     */
    public static Optional<Setup> setup(HostContext host, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        String id = Optional.ofNullable(req.getParameter("setup")).orElse("");
        Optional<Setup> setup = host.setups().find(req, id);
        if (setup.isEmpty()) {
            message(host, req, resp, 400, "This setup has ended", "setup-ended", "This step belongs to a setup that "
                    + "has ended, or that was started in another browser. Start again from where you began.", "",
                    back(host, req, id));
        }
        return setup;
    }

    /** After a sign-in whose setup has ended: the person is signed in, and goes back to start the setup again. */
    public static void signedInWithoutSetup(HostContext host, HttpServletRequest req, HttpServletResponse resp,
                                            String setupId) throws IOException {
        message(host, req, resp, 200, "Signed in", "signed-in", "You are signed in, but the setup you started has "
                + "ended. Start it again from where you began.", "", back(host, req, setupId));
    }

    /** The way out of a setup: where it was started from (the host's start page if it is unknown). */
    public static Link back(HostContext host, HttpServletRequest req, String setupId) {
        return new Link("back", "Back", host.setups().cancelUrl(req, setupId));
    }

    /**
     * The page for a sign-in that did not end signed in: consent declined, admin approval needed, approved for the
     * organisation, or failed.
     *
     * @param whyConsent why the plugin needs the permissions, for the person who declined them
     * @param tryAgain   the plugin's path that starts the same sign-in, or empty
     * @param back       where the person goes instead (the setup's way out)
     */
    public static void signInUnfinished(HostContext host, HttpServletRequest req, HttpServletResponse resp,
                                        SignInResult result, String whyConsent, String tryAgain, String back)
            throws IOException {
        Map<String, Object> model = new HashMap<>(Map.of("whyConsent", whyConsent, "tryAgain", tryAgain,
                "back", back, "message", "", "adminConsentUrl", ""));
        int status = 200;
        String title;
        if (result instanceof SignInResult.Declined) {
            title = "You declined the permissions";
            model.put("outcome", "declined");
        } else if (result instanceof SignInResult.NeedsApproval a) {
            title = "Need admin approval";
            model.put("outcome", "admin-approval");
            model.put("adminConsentUrl", a.approvalUrl().toString());
        } else if (result instanceof SignInResult.Approved) {
            title = "Approved for your organisation";
            model.put("outcome", "admin-approved");
        } else if (result instanceof SignInResult.Failed f) {
            title = "Sign-in not completed";
            status = 400;
            model.put("outcome", "failed");
            model.put("message", f.message());
        } else {
            throw new IllegalArgumentException("signed in: " + result);
        }
        host.pages().render(req, resp, status, title, "graph/sign-in-unfinished.ftlh", model);
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
        return (value < 10 ? String.format(Locale.ROOT, "%.1f", value) : Long.toString(Math.round(value)))
                + " " + units[unit];
    }

    /** A query parameter's value, encoded. */
    public static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
