package io.docbridge.sharepoint;

import io.docbridge.api.HostContext;
import io.docbridge.graph.DriveClient;
import io.docbridge.graph.GraphConnection;
import io.docbridge.graph.M365Settings;
import io.docbridge.graph.MicrosoftSignIn;
import io.docbridge.graph.SignInFlow;

import java.net.URI;
import java.util.Set;

/**
 * The plugin's Microsoft connections: each has an id, and its token cache in the plugin's secret store under
 * {@code connection/<id>/cache}. One per plugin start; thread-safe.
 */
final class Connections {
    static final String CALLBACK = "callback";
    /** The connection id of app-only access: the app signs itself in (client credentials), no user, no reconnect. */
    static final String APP_ONLY = "app-only";

    private final HostContext host;
    private volatile SignInFlow flow;
    private volatile GraphConnection flowFor;

    Connections(HostContext host) {
        this.host = host;
    }

    GraphConnection settings() {
        return M365Settings.require(host);
    }

    Set<String> scopes() {
        return MicrosoftSignIn.filesAndSites(settings().cloud());
    }

    MicrosoftSignIn signIn(String connectionId) {
        return new MicrosoftSignIn(settings(), host.secrets(), cacheKey(connectionId));
    }

    static String cacheKey(String connectionId) {
        return "connection/" + connectionId + "/cache";
    }

    DriveClient drives(String connectionId) {
        if (APP_ONLY.equals(connectionId)) {
            return DriveClient.connect(settings(), signIn(APP_ONLY).appTokens());
        }
        return DriveClient.connect(settings(), signIn(connectionId).tokens(scopes()));
    }

    /** The sign-in flow for the current settings (rebuilt if an administrator changed them). */
    synchronized SignInFlow flow() {
        GraphConnection current = settings();
        if (flow == null || !current.equals(flowFor)) {
            flow = new SignInFlow(current, redirectUri(), this::signIn, host.clock());
            flowFor = current;
        }
        return flow;
    }

    URI redirectUri() {
        return host.publicBaseUrl().resolve("plugins/sharepoint/" + CALLBACK);
    }

    /** A line for pages while the tenant is emulated, else empty. */
    String notice() {
        return host.settings().get(M365Settings.NOTICE).orElse("");
    }
}
