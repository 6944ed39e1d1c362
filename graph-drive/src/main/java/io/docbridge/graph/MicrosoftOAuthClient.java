package io.docbridge.graph;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.OAuthClient;
import io.docbridge.api.PluginException;
import io.docbridge.api.SignInAccount;
import io.docbridge.api.SignInResult;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Microsoft identity platform's side of a sign-in the host runs: the authorization request and the code
 * redemption through msal4j ({@link MicrosoftSignIn}), what its errors mean (AADSTS codes), the organisation an
 * account must belong to, and the answer of the admin-consent endpoint. One per plugin and app registration.
 */
final class MicrosoftOAuthClient implements OAuthClient {
    /** The tenant id every personal Microsoft account signs in with. */
    static final String CONSUMERS = "9188040d-6c67-4c5b-b112-36a304b66dad";
    /**
     * The {@code state} of an administrator's approval, before the setup it was asked for: no sign-in is pending
     * for it, nothing is redeemed.
     */
    private static final String ADMIN_CONSENT_STATE = "admin-consent.";
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");
    private static final Pattern ISSUER = Pattern.compile("\"issuer\"\\s*:\\s*\"[^\"]*/(" + GUID.pattern() + ")/");
    /** Home tenant domains already looked up, to their ids (across clients: a domain's id does not change). */
    private static final Map<String, String> tenantIds = new ConcurrentHashMap<>();

    private final GraphConnection connection;
    private final Set<String> scopes;
    private final Function<String, MicrosoftSignIn> signInFor;
    private final URI redirectUri;
    private final String homeTenant;

    /**
     * @param signInFor  the {@link MicrosoftSignIn} of a connection id (its token cache lives under that id)
     * @param homeTenant the organisation work accounts must belong to (an id or a domain), or empty for any
     */
    MicrosoftOAuthClient(GraphConnection connection, Set<String> scopes, Function<String, MicrosoftSignIn> signInFor,
                         URI redirectUri, String homeTenant) {
        this.connection = connection;
        this.scopes = scopes;
        this.signInFor = signInFor;
        this.redirectUri = redirectUri;
        this.homeTenant = homeTenant;
    }

    @Override
    public URI authorizationUrl(String state, String codeChallenge, URI redirectUri, String loginHint) {
        // The URL names no connection: any connection's msal4j application builds the same one.
        return signInFor.apply("authorize").authorizationUrl(redirectUri, scopes, state, codeChallenge, loginHint);
    }

    @Override
    public Redeemed redeem(String connectionId, String code, String codeVerifier, URI redirectUri) {
        MicrosoftSignIn signIn = signInFor.apply(connectionId);
        MicrosoftSignIn.Redeemed redeemed = signIn.redeem(code, redirectUri, scopes, codeVerifier);
        return new Redeemed() {
            @Override
            public SignInAccount account() {
                return redeemed.account();
            }

            @Override
            public void keep() {
                signIn.keep(redeemed);
            }
        };
    }

    /** Open to personal accounts (through "common"), but not to other organisations' work accounts. */
    @Override
    public String refusal(SignInAccount account) {
        if (homeTenant.isBlank() || account.realm().equalsIgnoreCase(CONSUMERS)) {
            return null;
        }
        try {
            return sameTenant(homeTenant, account.realm()) ? null : "The account " + account.username()
                    + " belongs to another organisation. Sign in with your work account of " + homeTenant
                    + ", or with a personal Microsoft account.";
        } catch (PluginException e) {
            return e.getMessage() + " " + e.kind().advice();
        }
    }

    /**
     * AADSTS90094: the tenant lets only administrators approve apps; AADSTS65004: the person chose Cancel on the
     * consent page (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes).
     */
    @Override
    public Optional<SignInResult> error(Map<String, String> answer, String setup) {
        String description = answer.getOrDefault("error_description", "");
        if (description.contains("AADSTS90094")) {
            return Optional.of(new SignInResult.NeedsApproval(adminConsentUrl(setup), setup));
        }
        if (description.contains("AADSTS65004") || "access_denied".equals(answer.get("error"))
                && "cancel".equals(answer.get("error_subcode"))) {
            return Optional.of(new SignInResult.Declined(setup));
        }
        return Optional.empty();
    }

    /** What the admin-consent endpoint sent back: {@code admin_consent=True}, or an error. Nothing to redeem. */
    @Override
    public Optional<SignInResult> unsolicited(Map<String, String> answer) {
        String state = answer.getOrDefault("state", "");
        if (!state.startsWith(ADMIN_CONSENT_STATE)) {
            return Optional.empty();
        }
        // The setup the approval was asked for: if the approving administrator's browser is in it, it goes on.
        String setup = state.substring(ADMIN_CONSENT_STATE.length());
        if ("True".equalsIgnoreCase(answer.get("admin_consent")) && answer.get("error") == null) {
            return Optional.of(new SignInResult.Approved(setup));
        }
        String description = answer.getOrDefault("error_description", "");
        return Optional.of(new SignInResult.Failed("The organisation's approval was not given: " + answer
                .getOrDefault("error", "no answer") + (description.isEmpty() ? "" : " (" + description.lines()
                .findFirst().orElse("") + ")") + ". A tenant administrator can open the approval link again.", setup));
    }

    /**
     * The link an administrator opens to approve the app for the whole organisation
     * ({@code /{tenant}/v2.0/adminconsent}); afterwards users connect without the approval page. Its {@code state}
     * names the setup it was asked for.
     */
    URI adminConsentUrl(String setup) {
        return URI.create(connection.cloud().tenantAuthority(connection.tenant()) + "v2.0/adminconsent?client_id="
                + enc(connection.clientId()) + "&scope=" + enc(connection.cloud().scope(".default"))
                + "&redirect_uri=" + enc(redirectUri.toString()) + "&state=" + enc(ADMIN_CONSENT_STATE + setup));
    }

    /**
     * Whether the tenant (an id, or a domain looked up once in its OpenID configuration) has this id.
     *
     * @throws PluginException UNAVAILABLE if the domain's configuration cannot be read (tried again next time)
     */
    private boolean sameTenant(String tenant, String tenantId) {
        if (GUID.matcher(tenant).matches()) {
            return tenant.equalsIgnoreCase(tenantId);
        }
        String id = tenantIds.computeIfAbsent(connection.cloud() + " " + tenant.toLowerCase(Locale.ROOT),
                key -> lookUpTenantId(tenant));
        return id.equalsIgnoreCase(tenantId);
    }

    /** A domain's tenant id, from the issuer its OpenID configuration names. */
    private String lookUpTenantId(String domain) {
        URI discovery = connection.cloud().tenantAuthority(domain).resolve("v2.0/.well-known/openid-configuration");
        String unknown = "Could not check which organisation the account belongs to: ";
        try {
            HttpResponse<String> answer = HttpClient.newBuilder().sslContext(Trust.of(connection.extraCaPem())
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

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
