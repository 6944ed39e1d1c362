package io.docbridge.graph;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;
import io.docbridge.tck.InMemorySecretStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** msal4j sign-in against the emulator: the code flow, a cache kept in the secret store, and how it ends. */
class MicrosoftSignInTest {

    static PluginException failure(ErrorKind kind, Runnable call) {
        PluginException e = assertThrows(PluginException.class, call::run);
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void aSignInIsKeptInTheSecretStoreAndOutlivesTheObject() throws Exception {
        try (Tenant t = new Tenant()) {
            InMemorySecretStore secrets = new InMemorySecretStore();
            MicrosoftSignIn first = t.signIn(secrets);
            assertEquals("adele@contoso.onmicrosoft.com", first.account().orElseThrow().username());
            assertEquals(t.tenant.id(), first.account().orElseThrow().tenantId());
            assertTrue(secrets.get("conn-1/token-cache").isPresent());

            MicrosoftSignIn afterRestart = new MicrosoftSignIn(t.connection, secrets, "conn-1/token-cache");
            String token = afterRestart.accessToken(MicrosoftSignIn.filesAndSites(t.connection.cloud()));

            assertEquals("Documents", DriveClient.connect(t.connection, () -> token).drive(t.documents.id()).getName());
        }
    }

    @Test
    void theAnswerComesBackAsAQueryWhichCarriesTheSessionCookieNotAsACrossSiteFormPost() {
        try (Tenant t = new Tenant()) {
            MicrosoftSignIn signIn = new MicrosoftSignIn(t.connection, new InMemorySecretStore(), "none");

            String url = signIn.authorizationUrl(Tenant.REDIRECT, Set.of("Files.ReadWrite"), "s", Pkce.create(), null)
                    .getRawQuery();

            assertTrue(url.contains("response_mode=query"), url);
            assertFalse(url.contains("form_post"), url);
        }
    }

    @Test
    void withoutASignInTheAnswerIsConnectFirst() {
        try (Tenant t = new Tenant()) {
            MicrosoftSignIn signIn = new MicrosoftSignIn(t.connection, new InMemorySecretStore(), "none");

            PluginException e = failure(ErrorKind.AUTHENTICATION_EXPIRED,
                    () -> signIn.accessToken(MicrosoftSignIn.filesAndSites(t.connection.cloud())));
            assertTrue(e.getMessage().contains("connect with Microsoft"), e.getMessage());
        }
    }

    @Test
    void aRevokedSignInNeedsReconnectAndSaysWhy() throws Exception {
        // Short-lived access tokens, so that every silent call goes back to the token endpoint.
        try (Tenant t = new Tenant(Duration.ofSeconds(120))) {
            MicrosoftSignIn signIn = t.signIn(new InMemorySecretStore());
            Set<String> scopes = MicrosoftSignIn.filesAndSites(t.connection.cloud());
            signIn.accessToken(scopes);
            t.emulator.clock().advance(Duration.ofSeconds(5));
            t.emulator.directory().revokeSessions(t.adele, t.emulator.clock().instant());

            PluginException e = failure(ErrorKind.AUTHENTICATION_EXPIRED, () -> signIn.accessToken(scopes));

            assertTrue(e.getMessage().contains("password changed"), e.getMessage());
            assertTrue(e.getMessage().contains("AADSTS50173"));
        }
    }

    @Test
    void withdrawnConsentIsConsentRequired() throws Exception {
        try (Tenant t = new Tenant(Duration.ofSeconds(120))) {
            MicrosoftSignIn signIn = t.signIn(new InMemorySecretStore());
            t.emulator.directory().revokeConsent(t.tenant, t.app);

            failure(ErrorKind.CONSENT_REQUIRED, () -> signIn.accessToken(MicrosoftSignIn.filesAndSites(t.connection.cloud())));
        }
    }

    @Test
    void aWrongClientSecretIsASettingsProblemNotAReconnect() {
        try (Tenant t = new Tenant()) {
            GraphConnection wrong = new GraphConnection(t.connection.cloud(), t.tenant.id(), t.app.clientId(),
                    "not-the-secret", t.emulator.caPem());

            PluginException e = failure(ErrorKind.INVALID_INPUT,
                    () -> new MicrosoftSignIn(wrong, new InMemorySecretStore(), "x").appToken());
            assertTrue(e.getMessage().contains("client secret"), e.getMessage());
        }
    }

    @Test
    void appOnlySignInNeedsNoUserAndReachesTheGrantedLibraries() {
        try (Tenant t = new Tenant()) {
            t.emulator.directory().grantAppRole(t.tenant, t.app, "Sites.ReadWrite.All");
            MicrosoftSignIn app = new MicrosoftSignIn(t.connection, new InMemorySecretStore(), "app");

            DriveClient drives = DriveClient.connect(t.connection, app::appToken);

            assertEquals(2, drives.libraries(t.pdc.id()).size());
            assertFalse(app.account().isPresent());
        }
    }
}
