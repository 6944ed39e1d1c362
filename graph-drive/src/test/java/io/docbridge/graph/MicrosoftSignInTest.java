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
            assertEquals(t.tenant.id(), first.account().orElseThrow().realm());
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

            String url = signIn.authorizationUrl(Tenant.REDIRECT, Set.of("Files.ReadWrite"), "s", io.docbridge.emulator.SignInBrowser.Pkce.create().challenge(), null)
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

    @Test
    void graphRequestsReadTheTokenCacheFromMemoryAndAnotherInstancesReconnectIsPickedUpWhenATokenIsRefused()
            throws Exception {
        try (Tenant t = new Tenant()) {
            java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
            InMemorySecretStore stored = new InMemorySecretStore();
            t.signIn(stored);
            io.docbridge.api.SecretStore counting = new io.docbridge.api.SecretStore() {
                public void put(String key, String secret) {
                    stored.put(key, secret);
                }

                public java.util.Optional<String> get(String key) {
                    reads.incrementAndGet();
                    return stored.get(key);
                }

                public void delete(String key) {
                    stored.delete(key);
                }

                public void deleteAll(String prefix) {
                    stored.deleteAll(prefix);
                }

                public java.util.Optional<String> take(String key) {
                    return stored.take(key);
                }

                public java.util.List<String> keys(String prefix) {
                    return stored.keys(prefix);
                }
            };
            MicrosoftSignIn signIn = new MicrosoftSignIn(t.connection, counting, "conn-1/token-cache");
            DriveClient drives = DriveClient.connect(t.connection, signIn.tokens(
                    MicrosoftSignIn.filesAndSites(t.connection.cloud())));
            for (int i = 0; i < 10; i++) {
                drives.drive(t.documents.id());
            }
            assertEquals(1, reads.get(), "the token cache was read from the database per request");

            // Her sessions are revoked and another instance signs the connection in again; later this instance's
            // access token expires and its refresh token no longer works: it takes the other instance's tokens.
            t.emulator.clock().advance(java.time.Duration.ofMinutes(1));
            t.emulator.directory().revokeSessions(t.emulator.directory().userByName("adele@contoso.onmicrosoft.com")
                    .orElseThrow(), t.emulator.clock().instant());
            t.emulator.clock().advance(java.time.Duration.ofMinutes(1));
            t.signIn(stored); // the reconnect, elsewhere: new tokens in the store
            t.emulator.clock().advance(java.time.Duration.ofMinutes(70));
            assertEquals("Documents", drives.drive(t.documents.id()).getName());
            assertTrue(reads.get() >= 2, "the stored cache was never read again");
        }
    }
}
