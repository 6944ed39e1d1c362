package io.docbridge.api;

import jakarta.servlet.http.HttpServletRequest;

import java.net.URI;
import java.util.Optional;

/**
 * Sign-ins and connections, run by the host for one plugin with the plugin's {@link OAuthClient} (from its
 * {@link SignInProvider}). The host keeps each pending sign-in (a random {@code state}, the PKCE verifier, the
 * browser session and person that started it, the setup it continues) encrypted in its database for 15 minutes,
 * so any instance of a cluster may finish it, once; it serves the callback at {@link #redirectUri()}, where only
 * the browser session and person that started a sign-in can finish it (an answer brought anywhere else is refused
 * and its code never redeemed); and it keeps each connection's owner and account. A connection's tokens are the
 * plugin's.
 *
 * <p>A connection belongs to whoever made it: a person (their own drive) or, when an administrator made it for the
 * organisation (storage, a drive for everyone), to every administrator. Ids travel in URLs, so ownership, not
 * secrecy of the id, keeps one person from using another's.
 */
public interface SignIns {

    /**
     * Starts a sign-in for the person at this browser; returns where to send it. The connection signed in is
     * {@code connectionId} if the person may use it (its account is suggested, and only that account is accepted),
     * else a new one that will be theirs, or the organisation's if {@code forOrganisation}. Nothing is kept until the
     * sign-in succeeds.
     *
     * @param connectionId an existing connection to sign in again, or null
     * @param setup        the {@link Setup} the sign-in continues, given back in its {@link SignInResult}
     * @throws PluginException INVALID_INPUT if a person who is not an administrator asks for the organisation, or
     *                         UNAVAILABLE if the plugin's service is not configured
     */
    URI start(HttpServletRequest req, String connectionId, boolean forOrganisation, String setup);

    /** The callback to register with the service: {@code /plugins/<pluginId>/callback} under the public address. */
    URI redirectUri();

    /** Whether the person may use the connection: theirs, or the organisation's and they administer it. */
    boolean mayUse(String connectionId, PlatformUser user);

    /** Whether the connection is the organisation's (what storage may be built on, never one person's). */
    boolean organisations(String connectionId);

    /** The account the connection signed in with, if it did. */
    Optional<SignInAccount> account(String connectionId);

    /**
     * Forgets a person's connection: its owner and account (the plugin drops its tokens when this says true). The
     * organisation's connections are kept (storage may share them out of sight of drives): false.
     */
    boolean forget(String connectionId);
}
