package io.docbridge.host.web;

import io.docbridge.host.auth.User;
import io.docbridge.host.auth.Users;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every request passes here: security headers, then who is signed in, then whether they may see the path, then
 * the CSRF token of anything that changes state. Plugin servlets are checked by {@link PluginDispatcherServlet},
 * which knows each route's access.
 */
public final class SecurityFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SecurityFilter.class);
    static final String SESSION_USER = "docbridge.userId";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final transient Users users;
    private final transient Pages pages;
    private final long maxUploadBytes;

    /** The origin people use (behind a proxy, not the one Jetty sees), such as {@code https://docs.example.com}. */
    private final String publicOrigin;

    public SecurityFilter(Users users, Pages pages, long maxUploadBytes, java.net.URI publicBaseUrl) {
        this.publicOrigin = origin(publicBaseUrl);
        this.users = users;
        this.pages = pages;
        this.maxUploadBytes = maxUploadBytes;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        resp.setHeader("Content-Security-Policy",
                "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                        + "form-action 'self'");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "same-origin");
        resp.setHeader("X-Frame-Options", "DENY");

        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (!SAFE_METHODS.contains(req.getMethod()) && !sameOrigin(req, publicOrigin)) {
            // Browsers send Origin with every cross-site POST: a second line behind the CSRF token.
            log.warn("Refused {} {} from the foreign origin {}", req.getMethod(), path, req.getHeader("Origin"));
            pages.render(req, resp, HttpServletResponse.SC_FORBIDDEN, "error.ftlh", Map.of(
                    "heading", "This form came from another site",
                    "message", "Nothing was changed. Open Docbridge at its own address and try again."));
            return;
        }
        currentUser(req).ifPresent(u -> req.setAttribute(Web.USER_ATTRIBUTE, u));
        if (path.startsWith("/plugins/") || path.startsWith("/notifications/")) {
            // plugin routes check their own access; a service's notifications are checked by their clientState
            chain.doFilter(req, resp);
            return;
        }
        boolean open = path.equals("/login") || path.startsWith("/static/") || path.equals("/healthz")
                || path.equals("/readyz") || path.equals("/metrics"); // the metrics token guards /metrics
        if (!open && Web.user(req).isEmpty()) {
            String next = SAFE_METHODS.contains(req.getMethod()) ? path
                    + (req.getQueryString() == null ? "" : "?" + req.getQueryString()) : "/";
            Web.redirect(req, resp, "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            return;
        }
        if ((path.startsWith("/settings/") || path.startsWith("/admin/"))
                && !Web.user(req).map(User::orgAdmin).orElse(false)) {
            pages.render(req, resp, HttpServletResponse.SC_FORBIDDEN, "error.ftlh", Map.of("heading", "Access denied",
                    "message", "This page is for organisation administrators."));
            return;
        }
        if (!SAFE_METHODS.contains(req.getMethod()) && !csrfValid(req, resp)) {
            return;
        }
        chain.doFilter(req, resp);
    }

    /** Checks the token; answers the request itself (403, or 413 for an upload over the limit) when it fails. */
    boolean csrfValid(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean valid;
        try {
            valid = Csrf.valid(req);
        } catch (RuntimeException unreadable) {
            // Reading the form failed before any servlet ran: a multipart upload over the configured limit,
            // or one cut off on the way.
            log.info("Unreadable form on {}: {}", req.getRequestURI(), causes(unreadable));
            if (req.getContentLengthLong() > maxUploadBytes || causes(unreadable).contains("size exceeded")) {
                pages.render(req, resp, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "error.ftlh", Map.of(
                        "heading", "File too large",
                        "message", "The upload is larger than this platform's limit of " + Sizes.human(maxUploadBytes)
                                + ". Nothing was saved. Upload a smaller file, or ask an administrator to raise the "
                                + "limit."));
            } else {
                pages.render(req, resp, HttpServletResponse.SC_BAD_REQUEST, "error.ftlh", Map.of(
                        "heading", "The upload could not be read",
                        "message", "The form arrived incomplete, perhaps because the connection was interrupted. "
                                + "Nothing was saved. Try again."));
            }
            return false;
        }
        if (!valid) {
            pages.render(req, resp, HttpServletResponse.SC_FORBIDDEN, "error.ftlh", Map.of(
                    "heading", "This form has expired",
                    "message", "The form was missing its security token, or it came from another site. Nothing was "
                            + "changed. Go back, reload the page and try again."));
        }
        return valid;
    }

    /**
     * Whether a request comes from the host's own pages: its Origin is the public address or the one it was sent
     * to. A request without Origin (not from a browser, or an old one) passes; the CSRF token still applies.
     */
    static boolean sameOrigin(HttpServletRequest req, String publicOrigin) {
        String origin = req.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        try {
            String given = origin(java.net.URI.create(origin));
            return given.equals(publicOrigin) || given.equals(origin(java.net.URI.create(req.getScheme() + "://"
                    + req.getServerName() + ":" + req.getServerPort() + "/")));
        } catch (IllegalArgumentException notAUri) {
            return false; // "null" (a sandboxed or privacy-sensitive context) and garbage alike
        }
    }

    /** scheme://host:port, lower case, with the default port written out. */
    private static String origin(java.net.URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            return "";
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT) + ":" + port;
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null && all.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t).append(" / ");
        }
        return all.toString();
    }

    private Optional<User> currentUser(HttpServletRequest req) {
        HttpSession session = req.getSession(false);
        Object id = session == null ? null : session.getAttribute(SESSION_USER);
        return id instanceof Long userId ? users.find(userId) : Optional.empty();
    }
}
