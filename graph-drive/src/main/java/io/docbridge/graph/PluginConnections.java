package io.docbridge.graph;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.HostContext;
import io.docbridge.api.InstanceSettings;
import io.docbridge.api.PlatformUser;
import io.docbridge.api.PluginException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Microsoft plugin's connections: each has an id, and its token cache in the plugin's secret store under
 * {@code connection/<id>/cache}; the sign-in flow answers at {@code /plugins/<pluginId>/callback}. One per plugin
 * start; thread-safe.
 *
 * <p>A connection belongs to whoever made it: a person's own (a drive in their My Files) or, when an administrator
 * made it for the organisation's storage, to every administrator. Ids travel in URLs and forms, so ownership, not
 * secrecy of the id, is what keeps one person from browsing or re-signing another's connection.
 */
public final class PluginConnections {
    public static final String CALLBACK = "callback";
    /** The connection id of app-only access: the app signs itself in (client credentials), no user, no reconnect. */
    public static final String APP_ONLY = "app-only";

    private static final String ORGANISATION = "organisation";
    private static final String ID_SHAPE = "[A-Za-z0-9_-]{8,64}";

    private final HostContext host;
    private final String pluginId;
    private final Function<GraphCloud, Set<String>> scopes;
    private volatile SignInFlow flow;
    private volatile GraphConnection flowFor;

    /** Connections that sign in for files and sites (SharePoint). */
    public PluginConnections(HostContext host, String pluginId) {
        this(host, pluginId, MicrosoftSignIn::filesAndSites);
    }

    /** @param scopes what sign-ins ask for, per cloud (such as {@link MicrosoftSignIn#ownFiles}) */
    public PluginConnections(HostContext host, String pluginId, Function<GraphCloud, Set<String>> scopes) {
        this.host = host;
        this.pluginId = pluginId;
        this.scopes = scopes;
    }

    public GraphConnection settings() {
        return M365Settings.require(host);
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

    /** Whether the person may use the connection: it is theirs, or the organisation's and they administer it. */
    public boolean mayUse(String connectionId, PlatformUser user) {
        if (user == null || connectionId == null || !connectionId.matches(ID_SHAPE)) {
            return false;
        }
        if (APP_ONLY.equals(connectionId)) {
            return user.orgAdmin();
        }
        return host.secrets().get(ownerKey(connectionId))
                .map(owner -> owner.equals(user.id()) || ORGANISATION.equals(owner) && user.orgAdmin())
                .orElse(false);
    }

    /**
     * Whether a connection is the organisation's (an administrator made it for storage or organisation drives) or
     * app-only access: what storage may be built on, never on one person's connection.
     */
    public boolean organisations(String connectionId) {
        return APP_ONLY.equals(connectionId) || connectionId != null && connectionId.matches(ID_SHAPE)
                && host.secrets().get(ownerKey(connectionId)).map(ORGANISATION::equals).orElse(false);
    }

    /**
     * Forgets a person's connection: its token cache and its owner, unless one of {@code stillUsedBy} (other
     * drives' settings, under {@code key}) names it. App-only access (the app's own) and the organisation's
     * connections (which storage may share, out of sight of drives) are kept.
     */
    public void forget(String connectionId, String key, List<InstanceSettings> stillUsedBy) {
        if (connectionId == null || APP_ONLY.equals(connectionId) || !connectionId.matches(ID_SHAPE)
                || host.secrets().get(ownerKey(connectionId)).map(ORGANISATION::equals).orElse(true)
                || stillUsedBy.stream().anyMatch(s -> connectionId.equals(s.values().get(key)))) {
            return;
        }
        host.secrets().delete(cacheKey(connectionId));
        host.secrets().delete(accountKey(connectionId));
        host.secrets().delete(ownerKey(connectionId));
    }

    private static String ownerKey(String connectionId) {
        return "connection/" + connectionId + "/owner";
    }

    private static String accountKey(String connectionId) {
        return "connection/" + connectionId + "/account";
    }

    public DriveClient drives(String connectionId) {
        Duration answerTime = M365Settings.answerTime(host);
        if (APP_ONLY.equals(connectionId)) {
            return DriveClient.connect(settings(), signIn(APP_ONLY).appTokens(), answerTime, host.metrics());
        }
        return DriveClient.connect(settings(), signIn(connectionId).tokens(scopes()), answerTime, host.metrics());
    }

    /** The sign-in flow for the current settings (rebuilt if an administrator changed them). */
    public synchronized SignInFlow flow() {
        GraphConnection current = settings();
        if (flow == null || !current.equals(flowFor)) {
            flow = new SignInFlow(current, redirectUri(), this::signIn, host.clock(), host.secrets());
            flowFor = current;
        }
        return flow;
    }

    /**
     * Starts "Connect with Microsoft" from a person's request; returns where to send their browser. The connection
     * signed in is the one they asked for if they may use it (signing in again: its account is suggested, and it is
     * the only one accepted), else a new one that will be theirs, or the organisation's if {@code forOrganisation}
     * (which only an administrator may ask). Nothing is stored until the sign-in succeeds. The sign-in carries the
     * id of the host's {@link io.docbridge.api.Setup} it continues, as its outcome's {@code returnTo}.
     */
    public URI start(String requested, boolean forOrganisation, String setup, HttpServletRequest req) {
        PlatformUser user = PlatformUser.of(req);
        if (forOrganisation && !user.orgAdmin()) {
            throw new IllegalArgumentException("only an administrator connects the organisation's storage");
        }
        if (requested != null && !APP_ONLY.equals(requested) && mayUse(requested, user)) {
            String hint = account(requested).map(SignedInAccount::username).orElse(null);
            return flow().start(requested, null, setup, scopes(), browser(req), hint);
        }
        return flow().start(SignInFlow.newConnectionId(), forOrganisation ? ORGANISATION : user.id(), setup,
                scopes(), browser(req), null);
    }

    /**
     * Completes the sign-in that the callback request answers. Only the browser session and person that started it
     * can complete it; the account must be the connection's own if it had one, and of the home organisation (or a
     * personal account) if one is set.
     */
    public SignInFlow.Outcome complete(HttpServletRequest callback) {
        Map<String, String> params = new HashMap<>();
        for (String name : List.of("state", "code", "error", "error_description", "error_subcode", "admin_consent")) {
            Optional.ofNullable(callback.getParameter(name)).ifPresent(v -> params.put(name, v));
        }
        SignInFlow.Browser browser = browser(callback);
        return flow().complete(params, scopes(), browser, new SignInFlow.AccountCheck() {
            @Override
            public String refusal(String connectionId, String newOwner, SignedInAccount account) {
                if (newOwner == null && !mayUse(connectionId, PlatformUser.of(callback))) {
                    return "This connection is not yours. Nothing was saved.";
                }
                String refusal = newOwner == null ? otherAccountRefusal(connectionId, account) : null;
                return refusal != null ? refusal : otherOrganisationRefusal(account);
            }

            @Override
            public void accepted(String connectionId, String newOwner, SignedInAccount account) {
                if (newOwner != null) {
                    host.secrets().put(ownerKey(connectionId), newOwner);
                }
                host.secrets().put(accountKey(connectionId), account.objectId() + "\t" + account.tenantId() + "\t"
                        + account.username());
            }
        });
    }

    /** Who is at the browser of a request: the platform user and a hash of the session id. */
    static SignInFlow.Browser browser(HttpServletRequest req) {
        PlatformUser user = PlatformUser.of(req);
        HttpSession session = req.getSession(false);
        return new SignInFlow.Browser(user == null ? null : user.id(),
                session == null ? null : sha256(session.getId()));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The account a connection was made with: recorded at its first sign-in (older connections: the account in
     * its token cache).
     */
    public Optional<SignedInAccount> account(String connectionId) {
        if (connectionId == null || APP_ONLY.equals(connectionId) || !connectionId.matches(ID_SHAPE)) {
            return Optional.empty();
        }
        Optional<SignedInAccount> recorded = host.secrets().get(accountKey(connectionId)).map(v -> v.split("\t", 3))
                .filter(parts -> parts.length == 3).map(parts -> new SignedInAccount(parts[2], parts[1], parts[0]));
        return recorded.isPresent() ? recorded : signIn(connectionId).account();
    }

    /** Reconnecting as another account would leave the drive or storage pointing at files that account cannot see. */
    private String otherAccountRefusal(String connectionId, SignedInAccount account) {
        return account(connectionId).filter(made -> !made.sameAccountAs(account)).map(made -> "This connection is "
                + "signed in as " + made.username() + ", and you signed in as " + account.username() + ". Nothing "
                + "was changed. Reconnect and sign in as " + made.username() + "; to use another account, disconnect "
                + "and add it again.").orElse(null);
    }

    /** Open to personal accounts through "common", but not to other organisations' work accounts. */
    private String otherOrganisationRefusal(SignedInAccount account) {
        Optional<String> home = host.settings().get(M365Settings.HOME_TENANT).filter(t -> !t.isBlank());
        if (home.isEmpty() || account.tenantId().equalsIgnoreCase(CONSUMERS)) {
            return null;
        }
        try {
            return sameTenant(home.get(), account.tenantId()) ? null : "The account " + account.username()
                    + " belongs to another organisation. Sign in with your work account of " + home.get()
                    + ", or with a personal Microsoft account.";
        } catch (PluginException e) {
            return e.getMessage() + " " + e.kind().advice();
        }
    }

    /** The tenant id every personal Microsoft account signs in with. */
    static final String CONSUMERS = "9188040d-6c67-4c5b-b112-36a304b66dad";
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");
    private static final Pattern ISSUER = Pattern.compile("\"issuer\"\\s*:\\s*\"[^\"]*/(" + GUID.pattern() + ")/");
    /** Home tenant domains already looked up, to their ids. */
    private final Map<String, String> tenantIds = new ConcurrentHashMap<>();

    /**
     * Whether the tenant (an id, or a domain looked up once in its OpenID configuration) has this id.
     *
     * @throws PluginException UNAVAILABLE if the domain's configuration cannot be read (tried again next time)
     */
    private boolean sameTenant(String tenant, String tenantId) {
        if (GUID.matcher(tenant).matches()) {
            return tenant.equalsIgnoreCase(tenantId);
        }
        String id = tenantIds.computeIfAbsent(tenant.toLowerCase(Locale.ROOT), this::lookUpTenantId);
        return id.equalsIgnoreCase(tenantId);
    }

    /** A domain's tenant id, from the issuer its OpenID configuration names. */
    private String lookUpTenantId(String domain) {
        GraphConnection connection = settings();
        URI discovery = connection.cloud().tenantAuthority(domain).resolve("v2.0/.well-known/openid-configuration");
        String unknown = "Could not check which organisation the account belongs to: ";
        try {
            HttpResponse<String> answer = HttpClient.newBuilder().sslContext(new Trust(connection.extraCaPem())
                            .sslContext()).connectTimeout(Duration.ofSeconds(10)).build()
                    .send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(20)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            Matcher issuer = ISSUER.matcher(answer.body());
            if (answer.statusCode() != 200 || !issuer.find()) {
                throw new PluginException(ErrorKind.UNAVAILABLE, unknown + "Microsoft answered " + answer.statusCode()
                        + " for the organisation " + domain + ", without its tenant id.");
            }
            return issuer.group(1);
        } catch (IOException e) {
            throw new PluginException(ErrorKind.UNAVAILABLE, unknown + "Microsoft sign-in could not be reached ("
                    + e.getMessage() + ").", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginException(ErrorKind.UNAVAILABLE, unknown + "interrupted.", e);
        }
    }

    /** The plugin's path that signs a connection in again, for a setup: {@code connect?connection=…&setup=…}. */
    public static String reconnectPath(String connectionId, String setup) {
        return "connect?connection=" + SetupPages.url(connectionId) + "&setup=" + SetupPages.url(setup);
    }

    public URI redirectUri() {
        return host.publicBaseUrl().resolve("plugins/" + pluginId + "/" + CALLBACK);
    }

}
