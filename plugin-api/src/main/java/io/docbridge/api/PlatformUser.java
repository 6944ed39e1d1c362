package io.docbridge.api;

import java.util.Objects;

/**
 * The signed-in person a request comes from. The host puts it on every request it passes to a plugin servlet
 * that requires sign-in, under {@link #REQUEST_ATTRIBUTE}.
 *
 * @param id       the host's stable user id
 * @param username the login name
 * @param orgAdmin whether the person administers the organisation (may configure storage)
 */
public record PlatformUser(String id, String username, boolean orgAdmin) {

    public static final String REQUEST_ATTRIBUTE = PlatformUser.class.getName();

    public PlatformUser {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
    }

    /** The user of a request, or null if it has none (on a {@link ServletRoute.Access#PUBLIC} route). */
    public static PlatformUser of(jakarta.servlet.http.HttpServletRequest request) {
        return (PlatformUser) request.getAttribute(REQUEST_ATTRIBUTE);
    }
}
