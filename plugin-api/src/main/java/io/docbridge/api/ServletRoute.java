package io.docbridge.api;

import jakarta.servlet.http.HttpServlet;

import java.util.Objects;

/**
 * A servlet a plugin contributes, mounted at {@code /plugins/<pluginId><path>}.
 *
 * @param path    starts with {@code /}; a trailing {@code /*} maps everything below it
 * @param servlet the servlet; the host initialises and destroys it
 * @param access  who may call it
 */
public record ServletRoute(String path, HttpServlet servlet, Access access) {

    public enum Access {
        /**
         * Anyone. For OAuth callbacks: a sign-in answer is POSTed cross-site (form_post), and browsers do not send
         * the session cookie with it, so bind the callback to its {@code state} instead of to the session.
         */
        PUBLIC,
        /** Signed-in users; the host redirects others to the login page. */
        USER,
        /** Organisation administrators only. */
        ORG_ADMIN
    }

    public ServletRoute {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(servlet, "servlet");
        Objects.requireNonNull(access, "access");
        if (!path.startsWith("/") || path.contains("..")) {
            throw new IllegalArgumentException("a route path starts with / and has no '..': " + path);
        }
    }
}
