package io.docbridge.graph;

import io.docbridge.api.HostContext;

import java.net.URI;
import java.util.Set;

/**
 * A Microsoft plugin's connections: each has an id, and its token cache in the plugin's secret store under
 * {@code connection/<id>/cache}; the sign-in flow answers at {@code /plugins/<pluginId>/callback}. One per plugin
 * start; thread-safe.
 */
public final class PluginConnections {
    public static final String CALLBACK = "callback";
    /** The connection id of app-only access: the app signs itself in (client credentials), no user, no reconnect. */
    public static final String APP_ONLY = "app-only";

    private final HostContext host;
    private final String pluginId;
    private volatile SignInFlow flow;
    private volatile GraphConnection flowFor;

    public PluginConnections(HostContext host, String pluginId) {
        this.host = host;
        this.pluginId = pluginId;
    }

    public GraphConnection settings() {
        return M365Settings.require(host);
    }

    public Set<String> scopes() {
        return MicrosoftSignIn.filesAndSites(settings().cloud());
    }

    public MicrosoftSignIn signIn(String connectionId) {
        return new MicrosoftSignIn(settings(), host.secrets(), cacheKey(connectionId));
    }

    public static String cacheKey(String connectionId) {
        return "connection/" + connectionId + "/cache";
    }

    public DriveClient drives(String connectionId) {
        if (APP_ONLY.equals(connectionId)) {
            return DriveClient.connect(settings(), signIn(APP_ONLY).appTokens());
        }
        return DriveClient.connect(settings(), signIn(connectionId).tokens(scopes()));
    }

    /** The sign-in flow for the current settings (rebuilt if an administrator changed them). */
    public synchronized SignInFlow flow() {
        GraphConnection current = settings();
        if (flow == null || !current.equals(flowFor)) {
            flow = new SignInFlow(current, redirectUri(), this::signIn, host.clock());
            flowFor = current;
        }
        return flow;
    }

    public URI redirectUri() {
        return host.publicBaseUrl().resolve("plugins/" + pluginId + "/" + CALLBACK);
    }

    /** A line for pages while the tenant is emulated, else empty. */
    public String notice() {
        return host.settings().get(M365Settings.NOTICE).orElse("");
    }
}
