package io.docbridge.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.ResponseMode;
import com.microsoft.aad.msal4j.SilentParameters;
import io.docbridge.emulator.identity.Directory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The identity side through msal4j, the client Docbridge uses, with the browser leg on the real pages. */
class IdentityTest {
    static final String REDIRECT = "https://docbridge.example/plugins/sharepoint/callback";
    static final String SECRET = "emulated-client-secret-value";
    static final Set<String> SCOPES = Set.of("https://graph.microsoft.com/Files.ReadWrite.All",
            "https://graph.microsoft.com/Sites.ReadWrite.All");

    M365Emulator emulator;
    Directory.Tenant contoso;
    Directory.User adele;
    Directory.User admin;
    Directory.App app;
    ConfidentialClientApplication msal;

    @BeforeEach
    void start() throws Exception {
        emulator = M365Emulator.builder().start();
        Directory d = emulator.directory();
        contoso = d.addTenant("contoso.onmicrosoft.com", "Contoso", true);
        adele = d.addUser(contoso, "adelev", "Adele Vance", "adele-password", false);
        admin = d.addUser(contoso, "admin", "Megan Bowen", "admin-password", true);
        app = d.addApp("Docbridge", List.of(REDIRECT), List.of(SECRET));
        msal = msalFor(contoso.id(), SECRET);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    ConfidentialClientApplication msalFor(String tenant, String secret) throws Exception {
        return ConfidentialClientApplication.builder(app.clientId(), ClientCredentialFactory.createFromSecret(secret))
                .authority(emulator.authority(tenant))
                .instanceDiscovery(false)
                .sslSocketFactory(emulator.clientSslContext().getSocketFactory())
                .build();
    }

    String authorizeUrl(SignInBrowser.Pkce pkce, ResponseMode mode, String state) {
        return msal.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters.builder(REDIRECT, SCOPES)
                .state(state).codeChallenge(pkce.challenge()).codeChallengeMethod("S256").responseMode(mode)
                .build()).toString();
    }

    /** Signs in and accepts consent; returns what reached the redirect URI. */
    Map<String, String> signInAndConsent(SignInBrowser browser, String url, String user, String password)
            throws Exception {
        browser.get(url);
        HttpResponse<String> afterSignIn = browser.signIn(user, password);
        if (afterSignIn.statusCode() == 200 && browser.page.contains("Permissions requested")) {
            return SignInBrowser.delivered(browser.submit(Map.of("decision", "accept")));
        }
        return SignInBrowser.delivered(afterSignIn);
    }

    IAuthenticationResult redeem(String code, SignInBrowser.Pkce pkce) throws Exception {
        return msal.acquireToken(AuthorizationCodeParameters.builder(code, URI.create(REDIRECT))
                .scopes(SCOPES).codeVerifier(pkce.verifier()).build()).get();
    }

    IAuthenticationResult signedIn() throws Exception {
        SignInBrowser.Pkce pkce = SignInBrowser.Pkce.create();
        Map<String, String> got = signInAndConsent(new SignInBrowser(emulator),
                authorizeUrl(pkce, ResponseMode.QUERY, "s1"), "adelev@contoso.onmicrosoft.com", "adele-password");
        return redeem(got.get("code"), pkce);
    }

    IAuthenticationResult refresh(IAccount account) throws Exception {
        // authorityUrl works around msal4j dropping the port from a cached account's authority.
        return msal.acquireTokenSilently(SilentParameters.builder(SCOPES, account).forceRefresh(true)
                .authorityUrl(msal.authority()).build()).get();
    }

    static JsonNode claims(String jwt) throws Exception {
        return Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    static <T extends Throwable> T cause(Class<T> type, ExecutionException e) {
        return assertInstanceOf(type, e.getCause(), () -> "unexpected: " + e.getCause());
    }

    @Test
    void theCodeFlowWithPkceGivesTokensAndAnAccount() throws Exception {
        SignInBrowser.Pkce pkce = SignInBrowser.Pkce.create();
        SignInBrowser browser = new SignInBrowser(emulator);

        Map<String, String> got = signInAndConsent(browser, authorizeUrl(pkce, ResponseMode.QUERY, "st-42"),
                "adelev@contoso.onmicrosoft.com", "adele-password");
        IAuthenticationResult result = redeem(got.get("code"), pkce);

        assertEquals("st-42", got.get("state"));
        assertEquals("adelev@contoso.onmicrosoft.com", result.account().username());
        JsonNode access = claims(result.accessToken());
        assertTrue(access.path("scp").asText().contains("Files.ReadWrite.All"), access.toString());
        assertEquals(contoso.id(), access.path("tid").asText());
        assertEquals(adele.id(), access.path("oid").asText());
    }

    @Test
    void aPersonalMicrosoftAccountSignsInThroughCommonOnlyWhenTheAppAllowsIt() throws Exception {
        emulator.directory().addPersonalAccount("pat@outlook.com", "Pat Kelly", "pat-password");
        msal = msalFor("common", SECRET);

        SignInBrowser refused = new SignInBrowser(emulator);
        refused.get(authorizeUrl(SignInBrowser.Pkce.create(), ResponseMode.QUERY, "p0"));
        refused.signIn("pat@outlook.com", "pat-password");
        assertTrue(refused.page.contains("not enabled for consumers"), refused.page);

        emulator.directory().putApp(app.withPersonalAccounts(true));
        SignInBrowser.Pkce pkce = SignInBrowser.Pkce.create();
        Map<String, String> got = signInAndConsent(new SignInBrowser(emulator),
                authorizeUrl(pkce, ResponseMode.QUERY, "p1"), "pat@outlook.com", "pat-password");
        IAuthenticationResult result = redeem(got.get("code"), pkce);
        assertEquals(Directory.CONSUMERS, claims(result.idToken()).path("tid").asText());
        assertNotNull(refresh(result.account()).accessToken(), "a personal account's sign-in did not refresh");

        msal = msalFor("organizations", SECRET);
        SignInBrowser work = new SignInBrowser(emulator);
        work.get(authorizeUrl(SignInBrowser.Pkce.create(), ResponseMode.QUERY, "p2"));
        work.signIn("pat@outlook.com", "pat-password");
        assertTrue(work.page.contains("You can't sign in here with a personal account"), work.page);
    }

    @Test
    void theConsentPageListsTheRequestedPermissions() throws Exception {
        SignInBrowser browser = new SignInBrowser(emulator);
        browser.get(authorizeUrl(SignInBrowser.Pkce.create(), ResponseMode.QUERY, "s"));

        browser.signIn("adelev@contoso.onmicrosoft.com", "adele-password");

        assertTrue(browser.page.contains("Have full access to all files you have access to"), browser.page);
        assertTrue(browser.page.contains("Edit or delete items in all site collections"));
    }

    @Test
    void formPostDeliversTheCodeInAnAutoSubmittedForm() throws Exception {
        SignInBrowser.Pkce pkce = SignInBrowser.Pkce.create();
        SignInBrowser browser = new SignInBrowser(emulator);

        Map<String, String> got = signInAndConsent(browser, authorizeUrl(pkce, ResponseMode.FORM_POST, "fp"),
                "adelev@contoso.onmicrosoft.com", "adele-password");

        assertTrue(browser.page.contains("action=\"" + REDIRECT + "\""), browser.page);
        assertEquals("fp", got.get("state"));
        assertNotNull(redeem(got.get("code"), pkce).accessToken());
    }

    @Test
    void pkceWithThePlainMethodIsCheckedToo() throws Exception {
        String verifier = SignInBrowser.Pkce.create().verifier();
        String url = msal.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters.builder(REDIRECT, SCOPES)
                .codeChallenge(verifier).codeChallengeMethod("plain").build()).toString();
        Map<String, String> got = signInAndConsent(new SignInBrowser(emulator), url, "adelev@contoso.onmicrosoft.com",
                "adele-password");

        IAuthenticationResult result = redeem(got.get("code"), new SignInBrowser.Pkce(verifier, verifier));

        assertNotNull(result.accessToken());
    }

    @Test
    void instanceDiscoveryNamesThisHostAndItsTenantDiscoveryEndpoint() throws Exception {
        JsonNode doc = Json.MAPPER.readTree(new SignInBrowser(emulator).get(emulator.baseUrl()
                + "common/discovery/instance?api-version=1.1&authorization_endpoint=" + emulator.authority("common")
                + "oauth2/v2.0/authorize").body());

        assertEquals(emulator.baseUrl() + "common/v2.0/.well-known/openid-configuration",
                doc.path("tenant_discovery_endpoint").asText());
        assertEquals("localhost:" + emulator.baseUrl().getPort(), doc.path("metadata").get(0)
                .path("preferred_network").asText());
    }

    @Test
    void silentRefreshGivesANewAccessTokenWithoutTheBrowser() throws Exception {
        IAuthenticationResult first = signedIn();
        emulator.clock().advance(Duration.ofSeconds(5));

        IAuthenticationResult second = refresh(first.account());

        assertNotEquals(first.accessToken(), second.accessToken());
        assertEquals(adele.id(), claims(second.accessToken()).path("oid").asText());
    }

    @Test
    void aWrongPasswordStaysOnTheSignInPageWithMicrosoftsMessage() throws Exception {
        SignInBrowser browser = new SignInBrowser(emulator);
        browser.get(authorizeUrl(SignInBrowser.Pkce.create(), ResponseMode.QUERY, "s"));

        browser.signIn("adelev@contoso.onmicrosoft.com", "wrong");

        assertEquals(401, browser.status);
        assertTrue(browser.page.contains("Your account or password is incorrect."));
    }

    @Test
    void cancelAtConsentRedirectsWithAccessDeniedAndAadsts65004() throws Exception {
        SignInBrowser browser = new SignInBrowser(emulator);
        browser.get(authorizeUrl(SignInBrowser.Pkce.create(), ResponseMode.QUERY, "c1"));
        browser.signIn("adelev@contoso.onmicrosoft.com", "adele-password");

        Map<String, String> got = SignInBrowser.delivered(browser.submit(Map.of("decision", "cancel")));

        assertEquals("access_denied", got.get("error"));
        assertTrue(got.get("error_description").startsWith("AADSTS65004: User declined to consent"));
        assertEquals("c1", got.get("state"));
        assertFalse(got.containsKey("code"));
    }

    @Test
    void aTenantThatRequiresApprovalShowsNeedAdminApprovalUntilAnAdminConsents() throws Exception {
        emulator.directory().putTenant(contoso.withUserConsentAllowed(false));
        SignInBrowser browser = new SignInBrowser(emulator);
        browser.get(authorizeUrl(SignInBrowser.Pkce.create(), ResponseMode.QUERY, "a1"));
        browser.signIn("adelev@contoso.onmicrosoft.com", "adele-password");
        assertTrue(browser.page.contains("Need admin approval"), browser.page);
        assertTrue(browser.page.contains("AADSTS90094"));

        String cancel = browser.page.replaceAll("(?s).*id=\"cancel-link\" href=\"([^\"]+)\".*", "$1")
                .replace("&amp;", "&");
        Map<String, String> returned = SignInBrowser.delivered(browser.get(emulator.baseUrl().resolve(cancel).toString()));
        assertEquals("access_denied", returned.get("error"));
        assertEquals("cancel", returned.get("error_subcode"));

        // The administrator grants consent for the organisation through the admin-consent endpoint.
        SignInBrowser adminBrowser = new SignInBrowser(emulator);
        adminBrowser.get(emulator.authority(contoso.id()) + "v2.0/adminconsent?client_id=" + app.clientId()
                + "&scope=https://graph.microsoft.com/.default&redirect_uri=" + REDIRECT + "&state=ac");
        adminBrowser.signIn("admin@contoso.onmicrosoft.com", "admin-password");
        assertTrue(adminBrowser.page.contains("for your organization"), adminBrowser.page);
        Map<String, String> granted = SignInBrowser.delivered(adminBrowser.submit(Map.of("decision", "accept")));
        assertEquals("True", granted.get("admin_consent"));
        assertEquals(contoso.id(), granted.get("tenant"));

        SignInBrowser.Pkce pkce = SignInBrowser.Pkce.create();
        SignInBrowser again = new SignInBrowser(emulator);
        again.get(authorizeUrl(pkce, ResponseMode.QUERY, "a2"));
        Map<String, String> got = SignInBrowser.delivered(again.signIn("adelev@contoso.onmicrosoft.com", "adele-password"));
        assertNotNull(redeem(got.get("code"), pkce).accessToken(), "the user still needed consent");
    }

    @Test
    void aRedirectUriMismatchIsShownOnThePageAndNotRedirected() throws Exception {
        SignInBrowser browser = new SignInBrowser(emulator);
        String url = authorizeUrl(SignInBrowser.Pkce.create(), ResponseMode.QUERY, "s").replace(
                java.net.URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8), "https%3A%2F%2Fevil.example%2F");

        HttpResponse<String> response = browser.get(url);

        assertEquals(400, response.statusCode());
        assertTrue(response.headers().firstValue("Location").isEmpty());
        assertTrue(browser.page.contains("AADSTS50011"), browser.page);
    }

    @Test
    void anUnknownScopeIsRefusedWithAadsts70011() throws Exception {
        SignInBrowser browser = new SignInBrowser(emulator);
        String url = msal.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters.builder(REDIRECT,
                Set.of("https://graph.microsoft.com/Mail.Teleport")).state("x").build()).toString();

        Map<String, String> got = SignInBrowser.delivered(browser.get(url));

        assertEquals("invalid_scope", got.get("error"));
        assertTrue(got.get("error_description").startsWith("AADSTS70011"));
    }

    @Test
    void aCodeCannotBeRedeemedTwice() throws Exception {
        SignInBrowser.Pkce pkce = SignInBrowser.Pkce.create();
        Map<String, String> got = signInAndConsent(new SignInBrowser(emulator),
                authorizeUrl(pkce, ResponseMode.QUERY, "s"), "adelev@contoso.onmicrosoft.com", "adele-password");
        redeem(got.get("code"), pkce);

        ExecutionException e = assertThrows(ExecutionException.class, () -> redeem(got.get("code"), pkce));

        assertTrue(cause(MsalServiceException.class, e).getMessage().contains("AADSTS54005"), e.getMessage());
    }

    @Test
    void aWrongCodeVerifierIsRefusedWithAadsts501481() throws Exception {
        SignInBrowser.Pkce pkce = SignInBrowser.Pkce.create();
        Map<String, String> got = signInAndConsent(new SignInBrowser(emulator),
                authorizeUrl(pkce, ResponseMode.QUERY, "s"), "adelev@contoso.onmicrosoft.com", "adele-password");

        ExecutionException e = assertThrows(ExecutionException.class, () -> redeem(got.get("code"), SignInBrowser.Pkce.create()));

        assertTrue(cause(MsalServiceException.class, e).getMessage().contains("AADSTS501481"), e.getMessage());
    }

    @Test
    void aRefreshTokenUnusedForNinetyDaysExpiresWithAadsts700082() throws Exception {
        IAuthenticationResult result = signedIn();
        emulator.clock().advance(Duration.ofDays(91));

        ExecutionException e = assertThrows(ExecutionException.class, () -> refresh(result.account()));

        assertTrue(cause(MsalInteractionRequiredException.class, e).getMessage().contains("AADSTS700082"));
    }

    @Test
    void aPasswordChangeRevokesRefreshTokensWithAadsts50173() throws Exception {
        IAuthenticationResult result = signedIn();
        emulator.clock().advance(Duration.ofSeconds(2));
        emulator.directory().revokeSessions(adele, emulator.clock().instant());

        ExecutionException e = assertThrows(ExecutionException.class, () -> refresh(result.account()));

        assertTrue(cause(MsalInteractionRequiredException.class, e).getMessage().contains("AADSTS50173"));
    }

    @Test
    void withdrawnConsentFailsRefreshWithAadsts65001() throws Exception {
        IAuthenticationResult result = signedIn();
        emulator.directory().revokeConsent(contoso, app);

        ExecutionException e = assertThrows(ExecutionException.class, () -> refresh(result.account()));

        MsalInteractionRequiredException cause = cause(MsalInteractionRequiredException.class, e);
        assertTrue(cause.getMessage().contains("AADSTS65001"), cause.getMessage());
    }

    @Test
    void newlyRequiredMfaFailsRefreshWithAadsts50076() throws Exception {
        IAuthenticationResult result = signedIn();
        emulator.directory().requireMfa(emulator.directory().user(adele.id()).orElseThrow(), true);

        ExecutionException e = assertThrows(ExecutionException.class, () -> refresh(result.account()));

        assertTrue(cause(MsalInteractionRequiredException.class, e).getMessage().contains("AADSTS50076"));
    }

    @Test
    void aWrongClientSecretIsRefusedWithAadsts7000215() throws Exception {
        ConfidentialClientApplication wrong = msalFor(contoso.id(), "not-the-secret");

        ExecutionException e = assertThrows(ExecutionException.class, () -> wrong.acquireToken(
                ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build()).get());

        MsalServiceException cause = cause(MsalServiceException.class, e);
        assertEquals(401, cause.statusCode());
        assertTrue(cause.getMessage().contains("AADSTS7000215"));
    }

    @Test
    void anUnknownAppIsRefusedWithAadsts700016() throws Exception {
        ConfidentialClientApplication unknown = ConfidentialClientApplication.builder("6c3b2b5e-0000-4000-8000-000000000000",
                        ClientCredentialFactory.createFromSecret(SECRET)).authority(emulator.authority(contoso.id()))
                .instanceDiscovery(false).sslSocketFactory(emulator.clientSslContext().getSocketFactory()).build();

        ExecutionException e = assertThrows(ExecutionException.class, () -> unknown.acquireToken(
                ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build()).get());

        assertTrue(cause(MsalServiceException.class, e).getMessage().contains("AADSTS700016"));
    }

    @Test
    void clientCredentialsGiveAnAppOnlyTokenWithTheGrantedRoles() throws Exception {
        emulator.directory().grantAppRole(contoso, app, "Sites.Selected");

        IAuthenticationResult result = msal.acquireToken(ClientCredentialParameters.builder(
                Set.of("https://graph.microsoft.com/.default")).build()).get();

        JsonNode claims = claims(result.accessToken());
        assertEquals("Sites.Selected", claims.path("roles").get(0).asText());
        assertTrue(claims.path("scp").isMissingNode());
    }

    @Test
    void clientCredentialsOnCommonAreRefusedWithAadsts9001023() throws Exception {
        ConfidentialClientApplication common = msalFor("common", SECRET);

        ExecutionException e = assertThrows(ExecutionException.class, () -> common.acquireToken(
                ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build()).get());

        assertTrue(cause(MsalServiceException.class, e).getMessage().contains("AADSTS9001023"));
    }

    @Test
    void theDiscoveryDocumentsDescribeThisServerAndTheKeysVerifyItsTokens() throws Exception {
        SignInBrowser browser = new SignInBrowser(emulator);
        JsonNode config = Json.MAPPER.readTree(browser.get(emulator.authority(contoso.id())
                + "v2.0/.well-known/openid-configuration").body());
        assertEquals(emulator.authority(contoso.id()) + "oauth2/v2.0/token", config.path("token_endpoint").asText());
        assertEquals(emulator.baseUrl() + contoso.id() + "/v2.0", config.path("issuer").asText());

        JsonNode key = Json.MAPPER.readTree(browser.get(config.path("jwks_uri").asText()).body()).path("keys").get(0);
        var publicKey = java.security.KeyFactory.getInstance("RSA").generatePublic(new java.security.spec.RSAPublicKeySpec(
                new java.math.BigInteger(1, Base64.getUrlDecoder().decode(key.path("n").asText())),
                new java.math.BigInteger(1, Base64.getUrlDecoder().decode(key.path("e").asText()))));
        String idToken = signedIn().idToken();
        String[] parts = idToken.split("\\.");
        var rs256 = java.security.Signature.getInstance("SHA256withRSA");
        rs256.initVerify(publicKey);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rs256.verify(Base64.getUrlDecoder().decode(parts[2])), "the id_token does not verify with the JWKS");
    }
}
