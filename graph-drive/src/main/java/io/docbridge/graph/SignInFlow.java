package io.docbridge.graph;

import io.docbridge.api.SecretStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The browser leg of "Connect with Microsoft" for one plugin: starts sign-ins and finishes them when Microsoft's
 * answer comes back. Each pending sign-in is kept in the plugin's secret store (the host's database, encrypted: it
 * holds the PKCE verifier) under its random {@code state}, so the answer may reach any instance of a cluster; it is
 * taken once, and forgotten after 15 minutes. It is bound to the {@link Browser} that started it: the sign-in link can be copied and opened by
 * someone else, who would then sign in on the genuine Microsoft page; their answer is refused unless it arrives in
 * the same browser session, for the same platform user, and their code is never redeemed. Thread-safe.
 */
public final class SignInFlow {
    private static final Logger log = LoggerFactory.getLogger(SignInFlow.class);
    private static final Duration PENDING_FOR = Duration.ofMinutes(15);
    private static final SecureRandom random = new SecureRandom();

    private record Pending(String connectionId, String newOwner, Pkce pkce, String returnTo, Instant started,
                           Browser startedBy) {
        /** As stored: URL-encoded fields joined by {@code &}; an absent owner is empty. */
        String encoded() {
            return String.join("&", enc(connectionId), enc(newOwner == null ? "" : newOwner), enc(pkce.verifier()),
                    enc(pkce.challenge()), enc(returnTo), Long.toString(started.getEpochSecond()),
                    enc(startedBy.userId()), enc(startedBy.sessionFingerprint()));
        }

        static Pending decoded(String stored) {
            String[] f = stored.split("&", -1);
            java.util.function.IntFunction<String> field = i -> java.net.URLDecoder.decode(f[i],
                    StandardCharsets.UTF_8);
            return new Pending(field.apply(0), field.apply(1).isEmpty() ? null : field.apply(1),
                    new Pkce(field.apply(2), field.apply(3)), field.apply(4), Instant.ofEpochSecond(Long.parseLong(f[5])),
                    new Browser(field.apply(6), field.apply(7)));
        }
    }

    /** Where pending sign-ins are kept; the key carries the start time, so expired ones are found by key alone. */
    private static final String PENDING_PREFIX = "signin/";

    /**
     * Who is at the browser: the platform user and a fingerprint of their session (never the session id itself).
     * Either may be null when the request carries no session.
     */
    public record Browser(String userId, String sessionFingerprint) {
        boolean same(Browser other) {
            return userId != null && sessionFingerprint != null && userId.equals(other.userId)
                    && sessionFingerprint.equals(other.sessionFingerprint);
        }
    }

    /** Decides whether an account may sign a connection in; the tokens are stored only if it may. */
    public interface AccountCheck {
        /**
         * Null to accept, else why not, for the person (nothing is stored).
         *
         * @param newOwner who a new connection will belong to, or null when an existing one signs in again
         */
        String refusal(String connectionId, String newOwner, SignedInAccount account);

        /** Called once the accepted account's tokens are kept: record what goes with them. */
        default void accepted(String connectionId, String newOwner, SignedInAccount account) {
        }
    }

    /** How a sign-in ended, for the page the person sees next. */
    public sealed interface Outcome {
        /** What the sign-in was started with: where to continue, or what it was for. */
        String returnTo();

        /**
         * The connection is signed in; continue at {@code returnTo}.
         *
         * @param again true when an existing connection signed in again (Reconnect), false for a new one
         */
        record SignedIn(String connectionId, SignedInAccount account, String returnTo, boolean again)
                implements Outcome {
        }

        /** The person chose Cancel on the consent page (AADSTS65004); they may try again. */
        record Declined(String connectionId, String returnTo) implements Outcome {
        }

        /**
         * The tenant lets only administrators approve apps (AADSTS90094): send {@code adminConsentUrl} to one, then
         * connect again.
         */
        record NeedsAdminApproval(String connectionId, URI adminConsentUrl, String returnTo) implements Outcome {
        }

        /**
         * A tenant administrator approved the app for the organisation through {@link #adminConsentUrl()}; nothing
         * is signed in yet: connect again.
         */
        record AdminApproved(String returnTo) implements Outcome {
        }

        /** Anything else: what Microsoft said, for a person. */
        record Failed(String message, String returnTo) implements Outcome {
        }
    }

    private final SecretStore pending;
    private final GraphConnection connection;
    private final URI redirectUri;
    private final Function<String, MicrosoftSignIn> signInFor;
    private final Clock clock;

    /**
     * @param redirectUri the plugin's callback, registered in the app registration
     * @param signInFor   the {@link MicrosoftSignIn} of a connection id (its token cache lives under that id)
     * @param pending     where pending sign-ins are kept: the plugin's secret store, shared by every instance
     */
    public SignInFlow(GraphConnection connection, URI redirectUri, Function<String, MicrosoftSignIn> signInFor,
                      Clock clock, SecretStore pending) {
        this.pending = Objects.requireNonNull(pending);
        this.connection = Objects.requireNonNull(connection);
        this.redirectUri = Objects.requireNonNull(redirectUri);
        this.signInFor = signInFor;
        this.clock = clock;
    }

    /** A new connection id, for a connection being set up. */
    public static String newConnectionId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Starts a sign-in for a connection; returns where to send the browser.
     *
     * @param newOwner  who the connection will belong to if it is new (recorded only when the sign-in succeeds, so
     *                  an abandoned one leaves nothing behind), or null when an existing one signs in again
     * @param startedBy who started it: only they, in the same session, can finish it
     * @param loginHint the account to suggest (reconnecting), or null to let the person choose
     */
    public URI start(String connectionId, String newOwner, String returnTo, Set<String> scopes, Browser startedBy,
                     String loginHint) {
        if (startedBy.userId() == null || startedBy.sessionFingerprint() == null) {
            throw new IllegalArgumentException("a sign-in is started by a signed-in person");
        }
        forgetExpired();
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        // The start time in clear in the state (and so in the key): what expired is found without decrypting.
        String state = clock.instant().getEpochSecond() + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(bytes);
        Pkce pkce = Pkce.create();
        pending.put(PENDING_PREFIX + state, new Pending(connectionId, newOwner, pkce, returnTo, clock.instant(),
                startedBy).encoded());
        return signInFor.apply(connectionId).authorizationUrl(redirectUri, scopes, state, pkce, loginHint);
    }

    /**
     * Finishes a sign-in from the parameters Microsoft sent to the callback ({@code state} with {@code code}, or with
     * {@code error}). A state that is unknown, used or expired fails: nobody can finish a sign-in they did not start.
     * An answer that reaches another browser or person than the one that started the sign-in fails, and the sign-in
     * is cancelled: its code is never redeemed. The tokens are stored only if {@code check} accepts the account.
     */
    public Outcome complete(Map<String, String> params, Set<String> scopes, Browser finishing, AccountCheck check) {
        forgetExpired();
        if (ADMIN_CONSENT_STATE.equals(params.get("state"))) {
            return adminConsentAnswer(params);
        }
        Pending started = Optional.ofNullable(params.get("state")).filter(state -> state.matches("\\d{1,12}\\.[\\w-]{32}"))
                .flatMap(state -> pending.take(PENDING_PREFIX + state)).map(Pending::decoded).orElse(null);
        if (started == null || started.started().plus(PENDING_FOR).isBefore(clock.instant())) {
            return new Outcome.Failed("This sign-in has expired or was already used. Start again with Connect with "
                    + "Microsoft.", "");
        }
        if (!started.startedBy().same(finishing)) {
            log.warn("A sign-in for connection {} came back to another browser or person than the one that started "
                    + "it; refused, its code not redeemed", started.connectionId());
            if (finishing.userId() == null) {
                // Often the same person on another address of the host (localhost vs 127.0.0.1): no session here.
                return new Outcome.Failed("This sign-in came back to a browser that is not signed in to Docbridge at "
                        + "this address, so it was cancelled and nothing was saved. Open Docbridge at the address "
                        + "registered with Microsoft, sign in, and choose Connect with Microsoft again.", "");
            }
            return new Outcome.Failed("This sign-in was started by someone else, or in another browser. Nothing was "
                    + "saved, and the sign-in has been cancelled. To connect your own account, sign in to Docbridge "
                    + "and choose Connect with Microsoft yourself; never open a sign-in link someone sent you.", "");
        }
        String error = params.get("error");
        String description = params.getOrDefault("error_description", "");
        if (error != null) {
            if (description.contains("AADSTS90094")) {
                return new Outcome.NeedsAdminApproval(started.connectionId(), adminConsentUrl(), started.returnTo());
            }
            if (description.contains("AADSTS65004") || "access_denied".equals(error)
                    && "cancel".equals(params.get("error_subcode"))) {
                return new Outcome.Declined(started.connectionId(), started.returnTo());
            }
            return new Outcome.Failed("Microsoft did not complete the sign-in: " + error
                    + (description.isEmpty() ? "" : " (" + firstLine(description) + ")"), started.returnTo());
        }
        String code = params.get("code");
        if (code == null || code.isBlank()) {
            return new Outcome.Failed("Microsoft's answer had no authorization code.", started.returnTo());
        }
        try {
            MicrosoftSignIn signIn = signInFor.apply(started.connectionId());
            MicrosoftSignIn.Redeemed redeemed = signIn.redeem(code, redirectUri, scopes, started.pkce());
            String refusal = check.refusal(started.connectionId(), started.newOwner(), redeemed.account());
            if (refusal != null) {
                return new Outcome.Failed(refusal, started.returnTo());
            }
            signIn.keep(redeemed);
            check.accepted(started.connectionId(), started.newOwner(), redeemed.account());
            return new Outcome.SignedIn(started.connectionId(), redeemed.account(), started.returnTo(),
                    started.newOwner() == null);
        } catch (io.docbridge.api.PluginException e) {
            return new Outcome.Failed(e.getMessage(), started.returnTo());
        }
    }

    /** What the admin-consent endpoint sent back: {@code admin_consent=True}, or an error. Nothing to redeem. */
    private static Outcome adminConsentAnswer(Map<String, String> params) {
        if ("True".equalsIgnoreCase(params.get("admin_consent")) && params.get("error") == null) {
            return new Outcome.AdminApproved("");
        }
        String description = params.getOrDefault("error_description", "");
        return new Outcome.Failed("The organisation's approval was not given: " + params.getOrDefault("error",
                "no answer") + (description.isEmpty() ? "" : " (" + firstLine(description) + ")") + ". A tenant "
                + "administrator can open the approval link again.", "");
    }

    private static final String ADMIN_CONSENT_STATE = "admin-consent";

    /**
     * The link an administrator opens to approve the app for the whole organisation
     * ({@code /{tenant}/v2.0/adminconsent}); afterwards users connect without the approval page.
     */
    public URI adminConsentUrl() {
        return URI.create(connection.cloud().tenantAuthority(connection.tenant()) + "v2.0/adminconsent?client_id="
                + enc(connection.clientId()) + "&scope=" + enc(connection.cloud().scope(".default"))
                + "&redirect_uri=" + enc(redirectUri.toString()) + "&state=" + ADMIN_CONSENT_STATE);
    }

    private void forgetExpired() {
        long cutoff = clock.instant().minus(PENDING_FOR).getEpochSecond();
        for (String key : pending.keys(PENDING_PREFIX)) {
            String started = key.substring(PENDING_PREFIX.length()).split("\\.", 2)[0];
            if (!started.matches("\\d{1,12}") || Long.parseLong(started) < cutoff) {
                pending.delete(key);
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    private static String firstLine(String s) {
        int end = s.indexOf('\r') >= 0 ? s.indexOf('\r') : s.indexOf('\n');
        return end > 0 ? s.substring(0, end) : s;
    }
}
