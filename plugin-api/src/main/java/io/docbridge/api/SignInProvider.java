package io.docbridge.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.pf4j.ExtensionPoint;

import java.io.IOException;

/**
 * A plugin whose setups sign people in to a service. The host runs the sign-ins ({@link SignIns}) and serves their
 * callback at {@code /plugins/<pluginId>/callback} (public: the service's answer is bound to its state and to the
 * browser session that started it, not to a route's access).
 */
public interface SignInProvider extends ExtensionPoint {

    /**
     * The service's client as configured now.
     *
     * @throws PluginException UNAVAILABLE if the plugin is not configured for its service yet
     */
    OAuthClient client(HostContext host);

    /**
     * Shows the person what comes after a sign-in the host finished: the next step of the setup, a hand-back
     * ({@link Setups#handBack}), or why not and the way on.
     */
    void finished(HttpServletRequest req, HttpServletResponse resp, SignInResult result, HostContext host)
            throws IOException;
}
