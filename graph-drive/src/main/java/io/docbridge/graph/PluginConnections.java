package io.docbridge.graph;

import io.docbridge.api.HostContext;
import io.docbridge.api.InstanceSettings;
import io.docbridge.api.OAuthClient;
import io.docbridge.api.PlatformUser;
import io.docbridge.api.SignInAccount;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A Microsoft plugin's connections: the host runs their sign-ins and keeps their owners and accounts
 * ({@link io.docbridge.api.SignIns}); the plugin keeps each one's msal4j token cache in its secret store under
 * {@code connection/<id>/cache}, and adds app-only access, which signs the app itself in. One per plugin start;
 * thread-safe.
 */
public final class PluginConnections {
    /** The connection id of app-only access: the app signs itself in (client credentials), no user, no reconnect. */
    public static final String APP_ONLY = "app-only";

    private final HostContext host;
    private final Function<GraphCloud, Set<String>> scopes;
    private final boolean personalDrives;

    /** Connections that sign in for files and sites (SharePoint), through the tenant. */
    public PluginConnections(HostContext host) {
        this(host, MicrosoftSignIn::filesAndSites, false);
    }

    /**
     * @param scopes         what sign-ins ask for, per cloud (such as {@link MicrosoftSignIn#ownFiles})
     * @param personalDrives for people's own drives: personal Microsoft accounts too, when the registration allows
     */
    public PluginConnections(HostContext host, Function<GraphCloud, Set<String>> scopes, boolean personalDrives) {
        this.host = host;
        this.scopes = scopes;
        this.personalDrives = personalDrives;
    }

    public GraphConnection settings() {
        return M365Settings.require(host, personalDrives);
    }

    public Set<String> scopes() {
        return scopes.apply(settings().cloud());
    }

    public MicrosoftSignIn signIn(String connectionId) {
        return new MicrosoftSignIn(settings(), host.secrets(), cacheKey(connectionId));
    }

    public static String cacheKey(String connectionId) {
        return "connection/" + connectionId + "/cache";
    }

    /** The client the host's sign-ins use, for the app registration as configured now. */
    public OAuthClient client() {
        GraphConnection connection = settings();
        return new MicrosoftOAuthClient(connection, scopes.apply(connection.cloud()), this::signIn,
                host.signIns().redirectUri(), M365Settings.homeTenant(host, personalDrives));
    }

    /** Whether the person may use the connection: theirs, or the organisation's; app-only access, administrators. */
    public boolean mayUse(String connectionId, PlatformUser user) {
        if (APP_ONLY.equals(connectionId)) {
            return user != null && user.orgAdmin();
        }
        return host.signIns().mayUse(connectionId, user);
    }

    /**
     * Whether a connection is the organisation's (an administrator made it for storage or organisation drives) or
     * app-only access: what storage may be built on, never on one person's connection.
     */
    public boolean organisations(String connectionId) {
        return APP_ONLY.equals(connectionId) || host.signIns().organisations(connectionId);
    }

    /**
     * Forgets a person's connection: its owner and account (the host's) and its tokens, unless one of
     * {@code stillUsedBy} (other drives' settings, under {@code key}) names it. App-only access and the
     * organisation's connections are kept.
     */
    public void forget(String connectionId, String key, List<InstanceSettings> stillUsedBy) {
        if (connectionId == null || APP_ONLY.equals(connectionId)
                || stillUsedBy.stream().anyMatch(s -> connectionId.equals(s.values().get(key)))) {
            return;
        }
        if (host.signIns().forget(connectionId)) {
            host.secrets().delete(cacheKey(connectionId));
        }
    }

    public DriveClient drives(String connectionId) {
        Duration answerTime = M365Settings.answerTime(host);
        if (APP_ONLY.equals(connectionId)) {
            return DriveClient.connect(settings(), signIn(APP_ONLY).appTokens(), answerTime, host.metrics());
        }
        return DriveClient.connect(settings(), signIn(connectionId).tokens(scopes()), answerTime, host.metrics());
    }

    /**
     * The account a connection was made with, as the host recorded it (connections older than that: the account in
     * its token cache). Empty for app-only access.
     */
    public Optional<SignInAccount> account(String connectionId) {
        if (connectionId == null || APP_ONLY.equals(connectionId)) {
            return Optional.empty();
        }
        Optional<SignInAccount> recorded = host.signIns().account(connectionId);
        return recorded.isPresent() ? recorded : signIn(connectionId).account();
    }

    /** The plugin's path that signs a connection in again, for a setup: {@code connect?connection=…&setup=…}. */
    public static String reconnectPath(String connectionId, String setup) {
        return "connect?connection=" + SetupPages.url(connectionId) + "&setup=" + SetupPages.url(setup);
    }
}
