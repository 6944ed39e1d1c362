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

    public SecurityFilter(Users users, Pages pages, long maxUploadBytes) {
        this.users = users;
        this.pages = pages;
        this.maxUploadBytes = maxUploadBytes;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        resp.setHeader("Content-Security-Policy",
                "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                        + "form-action 'self' https:");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "same-origin");
        resp.setHeader("X-Frame-Options", "DENY");

        String path = req.getRequestURI().substring(req.getContextPath().length());
        currentUser(req).ifPresent(u -> req.setAttribute(Web.USER_ATTRIBUTE, u));
        if (path.startsWith("/plugins/")) {
            chain.doFilter(req, resp);
            return;
        }
        boolean open = path.equals("/login") || path.startsWith("/static/") || path.equals("/healthz");
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
