package io.docbridge.graph;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The browser leg of "Connect with Microsoft" for one plugin: starts sign-ins and finishes them when Microsoft's
 * answer comes back. The answer is a cross-site form POST that carries no session cookie, so each pending sign-in is
 * kept here under its random {@code state}, used once, and forgotten after 15 minutes. Thread-safe.
 */
public final class SignInFlow {
    private static final Duration PENDING_FOR = Duration.ofMinutes(15);
    private static final SecureRandom random = new SecureRandom();

    private record Pending(String connectionId, Pkce pkce, String returnTo, Instant started) {
    }

    /** How a sign-in ended, for the page the person sees next. */
    public sealed interface Outcome {
        /** What the sign-in was started with: where to continue, or what it was for. */
        String returnTo();

        /** The connection is signed in; continue at {@code returnTo}. */
        record SignedIn(String connectionId, SignedInAccount account, String returnTo) implements Outcome {
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

        /** Anything else: what Microsoft said, for a person. */
        record Failed(String message, String returnTo) implements Outcome {
        }
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final GraphConnection connection;
    private final URI redirectUri;
    private final Function<String, MicrosoftSignIn> signInFor;
    private final Clock clock;

    /**
     * @param redirectUri the plugin's callback, registered in the app registration
     * @param signInFor   the {@link MicrosoftSignIn} of a connection id (its token cache lives under that id)
     */
    public SignInFlow(GraphConnection connection, URI redirectUri, Function<String, MicrosoftSignIn> signInFor,
                      Clock clock) {
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

    /** Starts a sign-in for a connection; returns where to send the browser. */
    public URI start(String connectionId, String returnTo, Set<String> scopes) {
        forgetExpired();
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Pkce pkce = Pkce.create();
        pending.put(state, new Pending(connectionId, pkce, returnTo, clock.instant()));
        return signInFor.apply(connectionId).authorizationUrl(redirectUri, scopes, state, pkce, true);
    }

    /**
     * Finishes a sign-in from the parameters Microsoft sent to the callback ({@code state} with {@code code}, or with
     * {@code error}). A state that is unknown, used or expired fails: nobody can finish a sign-in they did not start.
     */
    public Outcome complete(Map<String, String> params, Set<String> scopes) {
        Pending started = Optional.ofNullable(params.get("state")).map(pending::remove).orElse(null);
        if (started == null || started.started().plus(PENDING_FOR).isBefore(clock.instant())) {
            return new Outcome.Failed("This sign-in has expired or was already used. Start again with Connect with "
                    + "Microsoft.", "");
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
            SignedInAccount account = signInFor.apply(started.connectionId())
                    .completeSignIn(code, redirectUri, scopes, started.pkce());
            return new Outcome.SignedIn(started.connectionId(), account, started.returnTo());
        } catch (io.docbridge.api.PluginException e) {
            return new Outcome.Failed(e.getMessage(), started.returnTo());
        }
    }

    /**
     * The link an administrator opens to approve the app for the whole organisation
     * ({@code /{tenant}/v2.0/adminconsent}); afterwards users connect without the approval page.
     */
    public URI adminConsentUrl() {
        return URI.create(connection.cloud().tenantAuthority(connection.tenant()) + "v2.0/adminconsent?client_id="
                + enc(connection.clientId()) + "&scope=" + enc(connection.cloud().scope(".default"))
                + "&redirect_uri=" + enc(redirectUri.toString()) + "&state=admin-consent");
    }

    private void forgetExpired() {
        Instant cutoff = clock.instant().minus(PENDING_FOR);
        pending.values().removeIf(p -> p.started().isBefore(cutoff));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String firstLine(String s) {
        int end = s.indexOf('\r') >= 0 ? s.indexOf('\r') : s.indexOf('\n');
        return end > 0 ? s.substring(0, end) : s;
    }
}
