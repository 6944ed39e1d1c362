package io.docbridge.host.web;

import io.docbridge.host.auth.User;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small request helpers shared by the servlets: the signed-in user, flash messages, redirects. */
public final class Web {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Web.class);

    static final String USER_ATTRIBUTE = User.class.getName();
    private static final String FLASH_KEY = "docbridge.flash";

    private Web() {
    }

    /** The signed-in user the security filter put on the request. */
    public static Optional<User> user(HttpServletRequest req) {
        return Optional.ofNullable((User) req.getAttribute(USER_ATTRIBUTE));
    }

    public static User requireUser(HttpServletRequest req) {
        return user(req).orElseThrow(() -> new IllegalStateException("no signed-in user on " + req.getRequestURI()));
    }

    /** A message for the next page this session sees: kind is success, error or info. */
    public static void flash(HttpServletRequest req, String kind, String text) {
        HttpSession session = req.getSession(true);
        synchronized (session) {
            @SuppressWarnings("unchecked")
            List<Map<String, String>> flashes = (List<Map<String, String>>) session.getAttribute(FLASH_KEY);
            List<Map<String, String>> updated = flashes == null ? new ArrayList<>() : new ArrayList<>(flashes);
            updated.add(Map.of("kind", kind, "text", text));
            session.setAttribute(FLASH_KEY, updated);
        }
    }

    static List<Map<String, String>> takeFlashes(HttpServletRequest req) {
        HttpSession session = req.getSession(false);
        if (session == null) {
            return List.of();
        }
        synchronized (session) {
            @SuppressWarnings("unchecked")
            List<Map<String, String>> flashes = (List<Map<String, String>>) session.getAttribute(FLASH_KEY);
            session.removeAttribute(FLASH_KEY);
            return flashes == null ? List.of() : flashes;
        }
    }

    /** Redirects to a path of this host (303, so the browser follows with GET after a POST). */
    /** Set by page scripts that submit a form themselves and want the next location rather than a redirect. */
    public static final String NAVIGATE_HEADER = "X-Docbridge-Navigate";

    public static void redirect(HttpServletRequest req, HttpServletResponse resp, String path) throws IOException {
        if ("script".equals(req.getHeader(NAVIGATE_HEADER))) {
            // A page script sent the form (an upload with progress) and navigates itself; a redirect it would
            // follow unseen, spending the flash message on a page nobody sees.
            resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
            resp.setHeader("X-Docbridge-Location", req.getContextPath() + path);
            return;
        }
        resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
        resp.setHeader("Location", req.getContextPath() + path);
    }

    /** The HTTP status for a storage or drive failure: the person's input (4xx) or the service's trouble (502, 503). */
    /** A plugin's failure as a person reads it: what happened, then what to do (the kind's title goes before). */
    /**
     * Sends a file's bytes as the response body: all of them, or a failed transfer. When the source fails part-way
     * (the connection to the storage dropped), the response is not finished: the exception goes up to Jetty, which
     * aborts the connection, so the browser reports a failed download instead of saving a clean, short file.
     *
     * @param expected the number of bytes, sent as Content-Length, or -1 if not known
     * @throws IOException if the source ended early or failed (the caller lets it propagate)
     */
    public static void sendFile(InputStream in, HttpServletResponse resp, long expected, String what)
            throws IOException {
        if (expected >= 0) {
            resp.setContentLengthLong(expected);
        }
        OutputStream out = resp.getOutputStream();
        long sent;
        try {
            sent = in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            log.warn("The download of {} failed part-way, the response is aborted: {}", what, e.getMessage());
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        if (expected >= 0 && sent != expected) {
            log.warn("The download of {} ended after {} of {} bytes; the response is aborted", what, sent, expected);
            throw new IOException("the source of " + what + " ended after " + sent + " of " + expected + " bytes");
        }
        out.close();
    }

    /**
     * The modified time a browser's script sent with a file (File.lastModified, milliseconds since 1970); null
     * without one, or for one that is not a plausible time.
     */
    public static java.time.Instant fileModified(jakarta.servlet.http.HttpServletRequest req) {
        String millis = Optional.ofNullable(req.getParameter("modified")).orElse("");
        if (!millis.matches("\\d{1,15}")) {
            return null;
        }
        java.time.Instant time = java.time.Instant.ofEpochMilli(Long.parseLong(millis));
        return time.isAfter(java.time.Instant.now().plus(java.time.Duration.ofDays(1))) ? null : time;
    }

    public static String explain(io.docbridge.api.PluginException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip();
        boolean ended = message.endsWith(".") || message.endsWith("!") || message.endsWith("?");
        return (message.isEmpty() ? "" : message + (ended ? " " : ". ")) + e.kind().advice();
    }

    public static int status(io.docbridge.api.ErrorKind kind) {
        return switch (kind) {
            case INVALID_INPUT, NAME_NOT_ALLOWED -> 400;
            case ACCESS_DENIED, CONSENT_REQUIRED -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT, CHANGED_SINCE_READ -> 409;
            case TOO_LARGE -> 413;
            case THROTTLED, UNAVAILABLE -> 503;
            case TIMED_OUT -> 504;
            case AUTHENTICATION_EXPIRED, CURSOR_EXPIRED -> 502;
        };
    }

    /** Only local paths are followed after sign-in, so a link cannot send a user elsewhere. */
    public static String safeLocalPath(String next, String fallback) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.chars().anyMatch(c -> c < 32)) {
            return fallback;
        }
        return next;
    }
}
