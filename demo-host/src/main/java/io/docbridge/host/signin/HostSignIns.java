package io.docbridge.host.signin;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.OAuthClient;
import io.docbridge.api.PlatformUser;
import io.docbridge.api.PluginException;
import io.docbridge.api.SecretStore;
import io.docbridge.api.SignInAccount;
import io.docbridge.api.SignInResult;
import io.docbridge.api.SignIns;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The host's sign-ins and connections for one plugin (see {@link SignIns}). Pending sign-ins, owners and accounts
 * live in the host's own encrypted secrets, under {@code sign-in/<pluginId>/}, where no plugin reaches them.
 * Thread-safe; every instance of a cluster sees the same.
 */
public final class HostSignIns implements SignIns {
    private static final Logger log = LoggerFactory.getLogger(HostSignIns.class);
    private static final Duration PENDING_FOR = Duration.ofMinutes(15);
    private static final SecureRandom random = new SecureRandom();
    private static final String ID_SHAPE = "[A-Za-z0-9_-]{8,64}";
    /** The owner of a connection an administrator made for the organisation. */
    static final String ORGANISATION = "organisation";

    private final String pluginId;
    private final SecretStore store;
    private final SecretStore pluginStore;
    private final Supplier<OAuthClient> client;
    private final URI redirectUri;
    private final Clock clock;
    private final String prefix;

    /**
     * @param store       the host's own secrets
     * @param pluginStore the plugin's secrets, where connections made before the host kept them recorded their
     *                    owner and account (read, never written)
     * @param client      the plugin's client as configured now
     */
    public HostSignIns(String pluginId, SecretStore store, SecretStore pluginStore, Supplier<OAuthClient> client,
                       URI publicBaseUrl, Clock clock) {
        this.pluginId = pluginId;
        this.store = store;
        this.pluginStore = pluginStore;
        this.client = client;
        this.redirectUri = publicBaseUrl.resolve("plugins/" + pluginId + "/callback");
        this.clock = clock;
        this.prefix = "sign-in/" + pluginId + "/";
    }

    /** Who is at the browser: the platform user and a fingerprint of their session (never the session id itself). */
    record Browser(String userId, String sessionFingerprint) {
        boolean same(Browser other) {
            return userId != null && sessionFingerprint != null && userId.equals(other.userId)
                    && sessionFingerprint.equals(other.sessionFingerprint);
        }

        static Browser of(HttpServletRequest req) {
            PlatformUser user = PlatformUser.of(req);
            HttpSession session = req.getSession(false);
            return new Browser(user == null ? null : user.id(), session == null ? null : sha256(session.getId()));
        }
    }

    /** A sign-in started and not finished; {@code newOwner} is null when an existing connection signs in again. */
    private record Pending(String connectionId, String newOwner, Pkce pkce, String setup, Instant started,
                           Browser startedBy) {
        /** As stored: URL-encoded fields joined by {@code &}. */
        String encoded() {
            return String.join("&", enc(connectionId), enc(newOwner == null ? "" : newOwner), enc(pkce.verifier()),
                    enc(pkce.challenge()), enc(setup), Long.toString(started.getEpochSecond()),
                    enc(startedBy.userId()), enc(startedBy.sessionFingerprint()));
        }

        static Pending decoded(String stored) {
            String[] f = stored.split("&", -1);
            java.util.function.IntFunction<String> field = i -> URLDecoder.decode(f[i], StandardCharsets.UTF_8);
            return new Pending(field.apply(0), field.apply(1).isEmpty() ? null : field.apply(1),
                    new Pkce(field.apply(2), field.apply(3)), field.apply(4),
                    Instant.ofEpochSecond(Long.parseLong(f[5])), new Browser(field.apply(6), field.apply(7)));
        }
    }

    @Override
    public URI start(HttpServletRequest req, String connectionId, boolean forOrganisation, String setup) {
        PlatformUser user = PlatformUser.of(req);
        Browser browser = Browser.of(req);
        if (user == null || browser.sessionFingerprint() == null) {
            throw new PluginException(ErrorKind.INVALID_INPUT, "Sign in to Docbridge first.");
        }
        if (forOrganisation && !user.orgAdmin()) {
            throw new PluginException(ErrorKind.INVALID_INPUT, "Only an administrator connects for the organisation.");
        }
        OAuthClient service = client.get();
        forgetExpired();
        boolean again = connectionId != null && mayUse(connectionId, user);
        String id = again ? connectionId : newConnectionId();
        String hint = again ? account(id).map(SignInAccount::username).orElse(null) : null;
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        // The start time in clear in the state (and so in the key): what expired is found without decrypting.
        String state = clock.instant().getEpochSecond() + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(bytes);
        Pkce pkce = Pkce.create();
        store.put(pendingKey(state), new Pending(id, again ? null : forOrganisation ? ORGANISATION : user.id(), pkce,
                setup == null ? "" : setup, clock.instant(), browser).encoded());
        return service.authorizationUrl(state, pkce.challenge(), redirectUri, hint);
    }

    /**
     * Finishes the sign-in a callback request answers ({@code state} with {@code code}, or with {@code error}). A
     * state that is unknown, used or expired fails. An answer that reaches another browser or person than the one
     * that started the sign-in fails, and the sign-in is cancelled: its code is never redeemed. The tokens are kept
     * only if the account is the connection's own (signing in again) and the plugin does not refuse it.
     */
    public SignInResult complete(HttpServletRequest callback) {
        Map<String, String> answer = new HashMap<>();
        callback.getParameterMap().forEach((name, values) -> answer.put(name, values[0]));
        forgetExpired();
        String state = answer.getOrDefault("state", "");
        Pending started = state.matches("\\d{1,12}\\.[\\w-]{32}") ? store.take(pendingKey(state))
                .map(Pending::decoded).orElse(null) : null;
        if (started == null) {
            Optional<SignInResult> known = unsolicited(answer);
            if (known.isPresent()) {
                return known.get();
            }
        }
        if (started == null || started.started().plus(PENDING_FOR).isBefore(clock.instant())) {
            return new SignInResult.Failed("This sign-in has expired or was already used. Start again with Connect "
                    + "with Microsoft.", "");
        }
        Browser finishing = Browser.of(callback);
        if (!started.startedBy().same(finishing)) {
            log.warn("A {} sign-in for connection {} came back to another browser or person than the one that "
                    + "started it; refused, its code not redeemed", pluginId, started.connectionId());
            if (finishing.userId() == null) {
                // Often the same person on another address of the host (localhost vs 127.0.0.1): no session here.
                return new SignInResult.Failed("This sign-in came back to a browser that is not signed in to "
                        + "Docbridge at this address, so it was cancelled and nothing was saved. Open Docbridge at the "
                        + "address registered with Microsoft, sign in, and choose Connect with Microsoft again.", "");
            }
            return new SignInResult.Failed("This sign-in was started by someone else, or in another browser. Nothing "
                    + "was saved, and the sign-in has been cancelled. To connect your own account, sign in to "
                    + "Docbridge and choose Connect with Microsoft yourself; never open a sign-in link someone sent "
                    + "you.", "");
        }
        String setup = started.setup();
        if (answer.get("error") != null) {
            return error(answer, setup);
        }
        String code = answer.get("code");
        if (code == null || code.isBlank()) {
            return new SignInResult.Failed("The answer had no authorization code.", setup);
        }
        try {
            OAuthClient service = client.get();
            OAuthClient.Redeemed redeemed = service.redeem(started.connectionId(), code, started.pkce().verifier(),
                    redirectUri);
            SignInAccount account = redeemed.account();
            String refusal = started.newOwner() == null ? againRefusal(started.connectionId(), account, callback)
                    : null;
            if (refusal == null) {
                refusal = service.refusal(account);
            }
            if (refusal != null) {
                return new SignInResult.Failed(refusal, setup);
            }
            redeemed.keep();
            if (started.newOwner() != null) {
                store.put(ownerKey(started.connectionId()), started.newOwner());
            }
            store.put(accountKey(started.connectionId()), account.id() + "\t" + account.realm() + "\t"
                    + account.username());
            return new SignInResult.SignedIn(started.connectionId(), account, setup, started.newOwner() == null);
        } catch (PluginException e) {
            return new SignInResult.Failed(e.getMessage(), setup);
        }
    }

    private Optional<SignInResult> unsolicited(Map<String, String> answer) {
        try {
            return client.get().unsolicited(answer);
        } catch (PluginException e) {
            return Optional.of(new SignInResult.Failed(e.getMessage(), ""));
        }
    }

    /** An error answer: the plugin's reading of its service's codes first, then OAuth's own. */
    private SignInResult error(Map<String, String> answer, String setup) {
        Optional<SignInResult> known;
        try {
            known = client.get().error(answer, setup);
        } catch (PluginException e) {
            known = Optional.empty();
        }
        if (known.isPresent()) {
            return known.get();
        }
        String error = answer.get("error");
        // RFC 6749 4.1.2.1: access_denied is the person (or the service) saying no.
        if ("access_denied".equals(error)) {
            return new SignInResult.Declined(setup);
        }
        String description = answer.getOrDefault("error_description", "");
        return new SignInResult.Failed("The sign-in was not completed: " + error + (description.isEmpty() ? ""
                : " (" + firstLine(description) + ")"), setup);
    }

    /** Signing in again: only the person who may use the connection, and only as the account it was made with. */
    private String againRefusal(String connectionId, SignInAccount account, HttpServletRequest callback) {
        if (!mayUse(connectionId, PlatformUser.of(callback))) {
            return "This connection is not yours. Nothing was saved.";
        }
        return account(connectionId).filter(made -> !made.sameAccountAs(account)).map(made -> "This connection is "
                + "signed in as " + made.username() + ", and you signed in as " + account.username() + ". Nothing "
                + "was changed. Reconnect and sign in as " + made.username() + "; to use another account, disconnect "
                + "and add it again.").orElse(null);
    }

    @Override
    public URI redirectUri() {
        return redirectUri;
    }

    @Override
    public boolean mayUse(String connectionId, PlatformUser user) {
        if (user == null || connectionId == null || !connectionId.matches(ID_SHAPE)) {
            return false;
        }
        return owner(connectionId).map(owner -> owner.equals(user.id()) || ORGANISATION.equals(owner)
                && user.orgAdmin()).orElse(false);
    }

    @Override
    public boolean organisations(String connectionId) {
        return connectionId != null && connectionId.matches(ID_SHAPE)
                && owner(connectionId).map(ORGANISATION::equals).orElse(false);
    }

    @Override
    public Optional<SignInAccount> account(String connectionId) {
        if (connectionId == null || !connectionId.matches(ID_SHAPE)) {
            return Optional.empty();
        }
        return recorded(accountKey(connectionId), "connection/" + connectionId + "/account")
                .map(v -> v.split("\t", 3)).filter(parts -> parts.length == 3)
                .map(parts -> new SignInAccount(parts[0], parts[1], parts[2]));
    }

    @Override
    public boolean forget(String connectionId) {
        if (connectionId == null || !connectionId.matches(ID_SHAPE)
                || owner(connectionId).map(ORGANISATION::equals).orElse(true)) {
            return false;
        }
        store.delete(ownerKey(connectionId));
        store.delete(accountKey(connectionId));
        pluginStore.delete("connection/" + connectionId + "/owner");
        pluginStore.delete("connection/" + connectionId + "/account");
        return true;
    }

    private Optional<String> owner(String connectionId) {
        return recorded(ownerKey(connectionId), "connection/" + connectionId + "/owner");
    }

    /** The host's record, or what a connection made before the host kept them recorded in the plugin's store. */
    private Optional<String> recorded(String key, String legacyKey) {
        Optional<String> value = store.get(key);
        return value.isPresent() ? value : pluginStore.get(legacyKey);
    }

    private String pendingKey(String state) {
        return prefix + "pending/" + state;
    }

    private String ownerKey(String connectionId) {
        return prefix + "connection/" + connectionId + "/owner";
    }

    private String accountKey(String connectionId) {
        return prefix + "connection/" + connectionId + "/account";
    }

    private void forgetExpired() {
        long cutoff = clock.instant().minus(PENDING_FOR).getEpochSecond();
        String pending = prefix + "pending/";
        List<String> keys = store.keys(pending);
        for (String key : keys) {
            String started = key.substring(pending.length()).split("\\.", 2)[0];
            if (!started.matches("\\d{1,12}") || Long.parseLong(started) < cutoff) {
                store.delete(key);
            }
        }
    }

    /** A new connection id. */
    static String newConnectionId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    private static String firstLine(String s) {
        int end = s.indexOf('\r') >= 0 ? s.indexOf('\r') : s.indexOf('\n');
        return end > 0 ? s.substring(0, end) : s;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
