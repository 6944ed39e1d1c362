package io.docbridge.host.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Synchronizer-token CSRF protection: one random token per session, sent back in a hidden form field (or the
 * {@code X-CSRF-Token} header) with every request that changes something.
 */
public final class Csrf {
    public static final String FIELD = "_csrf";
    public static final String HEADER = "X-CSRF-Token";
    private static final String SESSION_KEY = "docbridge.csrf";
    private static final SecureRandom random = new SecureRandom();

    private Csrf() {
    }

    /** The session's token, creating the session and the token if needed. */
    public static String token(HttpServletRequest req) {
        HttpSession session = req.getSession(true);
        synchronized (session) {
            String token = (String) session.getAttribute(SESSION_KEY);
            if (token == null) {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                session.setAttribute(SESSION_KEY, token);
            }
            return token;
        }
    }

    /** Forgets the session's token: the next page gets a new one. */
    public static void rotate(HttpSession session) {
        session.removeAttribute(SESSION_KEY);
    }

    /** Whether the request carries the session's token. */
    public static boolean valid(HttpServletRequest req) {
        HttpSession session = req.getSession(false);
        String expected = session == null ? null : (String) session.getAttribute(SESSION_KEY);
        String given = req.getHeader(HEADER);
        if (given == null) {
            given = req.getParameter(FIELD);
        }
        return expected != null && given != null
                && MessageDigest.isEqual(expected.getBytes(), given.getBytes());
    }
}
