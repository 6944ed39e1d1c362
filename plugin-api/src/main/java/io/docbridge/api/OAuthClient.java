package io.docbridge.api;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * What is specific to one OAuth 2.0 service in a sign-in with the authorization code and PKCE
 * (<a href="https://www.rfc-editor.org/rfc/rfc7636">RFC 7636</a>): its authorization request and its code
 * redemption. Everything else (state, the PKCE verifier, binding the sign-in to the browser and person that started
 * it, the callback, connections and their owners) is the host's: see {@link SignIns}.
 */
public interface OAuthClient {

    /**
     * Where to send the browser: the service's authorization endpoint with the plugin's client id and scopes, and
     * what the host chose.
     *
     * @param codeChallenge the PKCE challenge, method S256
     * @param loginHint     the account to suggest (a connection signing in again), or null to let the person choose
     */
    URI authorizationUrl(String state, String codeChallenge, URI redirectUri, String loginHint);

    /**
     * Redeems the code the browser brought back, keeping nothing yet.
     *
     * @throws PluginException if the service refuses (the person is told its message)
     */
    Redeemed redeem(String connectionId, String code, String codeVerifier, URI redirectUri);

    /** Tokens redeemed for a connection and not kept: the host keeps them only once it accepts the account. */
    interface Redeemed {
        SignInAccount account();

        /** Keeps the tokens as the connection's (replacing what it had). */
        void keep();
    }

    /** Why this account may not sign in through this plugin, in words for the person (nothing is kept); null if it may. */
    default String refusal(SignInAccount account) {
        return null;
    }

    /**
     * What an error answer means when it is the service's own (the host knows the standard {@code access_denied});
     * empty to let the host report it as a failure.
     *
     * @param answer the parameters of the answer ({@code error}, {@code error_description}, …)
     */
    default Optional<SignInResult> error(Map<String, String> answer, String setup) {
        return Optional.empty();
    }

    /**
     * An answer that belongs to no sign-in the host started (an administrator's approval for the organisation, say,
     * whose {@code state} the plugin chose); empty if the plugin does not know it either.
     */
    default Optional<SignInResult> unsolicited(Map<String, String> answer) {
        return Optional.empty();
    }
}
