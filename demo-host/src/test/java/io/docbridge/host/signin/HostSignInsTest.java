package io.docbridge.host.signin;

import io.docbridge.api.OAuthClient;
import io.docbridge.api.PlatformUser;
import io.docbridge.api.SignInAccount;
import io.docbridge.api.SignInResult;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.SignInBrowser;
import io.docbridge.emulator.identity.Directory;
import io.docbridge.graph.GraphCloud;
import io.docbridge.graph.GraphConnection;
import io.docbridge.graph.MicrosoftSignIn;
import io.docbridge.tck.InMemorySecretStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host's sign-ins, with a Microsoft client (msal4j) against the emulator's real pages. The requests are stand-ins
 * that carry only what the host reads from them: the signed-in person, the session, the answer's parameters.
 */
class HostSignInsTest {
    static final URI BASE = URI.create("http://localhost:8080/");
    M365Emulator emulator;
    GraphConnection connection;
    InMemorySecretStore hostSecrets;
    InMemorySecretStore pluginSecrets;
    /** The codes the client was asked to redeem, and the accounts it kept. */
    List<String> redeemed;
    List<String> kept;
    HostSignIns signIns;
    Instant now = Instant.parse("2026-12-01T09:00:00Z");
    Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    static final PlatformUser MEGAN = new PlatformUser("1", "megan", true);
    static final PlatformUser ADELE = new PlatformUser("2", "adele", false);

    @BeforeEach
    void start() {
        emulator = M365Emulator.builder().start();
        Directory.Tenant tenant = emulator.directory().addTenant("contoso.onmicrosoft.com", "Contoso", true);
        emulator.directory().addUser(tenant, "adele", "Adele Vance", "adele-pw", false);
        emulator.directory().addUser(tenant, "megan", "Megan Bowen", "admin-pw", true);
        Directory.App app = emulator.directory().addApp("Docbridge",
                List.of(BASE.resolve("plugins/sharepoint/callback").toString()), List.of("client-secret"));
        connection = new GraphConnection(GraphCloud.standIn("Emulator", emulator.baseUrl()), tenant.id(),
                app.clientId(), "client-secret", emulator.caPem());
        hostSecrets = new InMemorySecretStore();
        pluginSecrets = new InMemorySecretStore();
        redeemed = new ArrayList<>();
        kept = new ArrayList<>();
        signIns = instance();
    }

    /** An instance of the host on the same store (a cluster shares its database). */
    HostSignIns instance() {
        return new HostSignIns("sharepoint", hostSecrets, pluginSecrets, this::client, BASE, clock);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    /** The plugin's side: msal4j's authorization request and redemption, recording what it redeemed and kept. */
    OAuthClient client() {
        Set<String> scopes = MicrosoftSignIn.filesAndSites(connection.cloud());
        return new OAuthClient() {
            @Override
            public URI authorizationUrl(String state, String codeChallenge, URI redirectUri, String loginHint) {
                return new MicrosoftSignIn(connection, pluginSecrets, "url").authorizationUrl(redirectUri, scopes,
                        state, codeChallenge, loginHint);
            }

            @Override
            public Redeemed redeem(String connectionId, String code, String codeVerifier, URI redirectUri) {
                redeemed.add(code);
                MicrosoftSignIn signIn = new MicrosoftSignIn(connection, pluginSecrets, connectionId + "/cache");
                MicrosoftSignIn.Redeemed tokens = signIn.redeem(code, redirectUri, scopes, codeVerifier);
                return new Redeemed() {
                    @Override
                    public SignInAccount account() {
                        return tokens.account();
                    }

                    @Override
                    public void keep() {
                        signIn.keep(tokens);
                        kept.add(connectionId);
                    }
                };
            }

            @Override
            public String refusal(SignInAccount account) {
                return account.username().startsWith("megan@") ? "not " + account.username() : null;
            }
        };
    }

    /** A request of a browser: the person signed in to the host (or nobody), its session, and parameters. */
    static HttpServletRequest request(PlatformUser user, String sessionId, Map<String, String> params) {
        HttpSession session = sessionId == null ? null : (HttpSession) Proxy.newProxyInstance(
                HostSignInsTest.class.getClassLoader(), new Class<?>[]{HttpSession.class}, (proxy, method, args) ->
                        switch (method.getName()) {
                            case "getId" -> sessionId;
                            default -> throw new UnsupportedOperationException(method.getName());
                        });
        Map<String, String[]> parameters = new HashMap<>();
        params.forEach((k, v) -> parameters.put(k, new String[]{v}));
        return (HttpServletRequest) Proxy.newProxyInstance(HostSignInsTest.class.getClassLoader(),
                new Class<?>[]{HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> PlatformUser.REQUEST_ATTRIBUTE.equals(args[0]) ? user : null;
                    case "getSession" -> session;
                    case "getParameterMap" -> parameters;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Adele, at her browser, starts a sign-in; signs in as {@code account} on Microsoft's page; the answer. */
    Map<String, String> answer(String connectionId, String account, String password) throws Exception {
        URI start = signIns.start(request(ADELE, "adeles-session", Map.of()), connectionId, false, "setup-1");
        return new SignInBrowser(emulator).signInAndConsent(start.toString(), account, password);
    }

    SignInResult complete(PlatformUser user, String session, Map<String, String> answer) {
        return signIns.complete(request(user, session, answer));
    }

    @Test
    void aCompletedSignInNamesTheAccountAndTheSetupAndTheConnectionIsThePersons() throws Exception {
        var signedIn = assertInstanceOf(SignInResult.SignedIn.class, complete(ADELE, "adeles-session",
                answer(null, "adele@contoso.onmicrosoft.com", "adele-pw")));

        assertEquals("adele@contoso.onmicrosoft.com", signedIn.account().username());
        assertEquals("setup-1", signedIn.setup());
        assertEquals(false, signedIn.again());
        assertEquals(List.of(signedIn.connectionId()), kept);
        assertTrue(signIns.mayUse(signedIn.connectionId(), ADELE));
        assertTrue(!signIns.mayUse(signedIn.connectionId(), MEGAN), "an administrator used a person's connection");
        assertEquals(signedIn.account(), signIns.account(signedIn.connectionId()).orElseThrow());
        assertTrue(pluginSecrets.keys("").stream().noneMatch(k -> k.contains("owner") || k.contains("pending")),
                "the host's records are out of the plugin's reach: " + pluginSecrets.keys(""));
    }

    @Test
    void theSameAnswerCannotBeUsedTwiceNorAForgedOne() throws Exception {
        Map<String, String> answer = answer(null, "adele@contoso.onmicrosoft.com", "adele-pw");
        complete(ADELE, "adeles-session", answer);

        assertInstanceOf(SignInResult.Failed.class, complete(ADELE, "adeles-session", answer));
        assertInstanceOf(SignInResult.Failed.class, complete(ADELE, "adeles-session", Map.of("state", "1.forged",
                "code", "x")));
        assertEquals(1, redeemed.size());
    }

    @Test
    void anAnswerBroughtToAnotherPersonOrSessionIsRefusedAndItsCodeNeverRedeemed() throws Exception {
        Map<String, String> answer = answer(null, "adele@contoso.onmicrosoft.com", "adele-pw");

        var otherPerson = complete(MEGAN, "megans-session", answer);
        var thenTheStarter = complete(ADELE, "adeles-session", answer);

        assertTrue(assertInstanceOf(SignInResult.Failed.class, otherPerson).message()
                .contains("started by someone else"));
        assertInstanceOf(SignInResult.Failed.class, thenTheStarter, "the sign-in was cancelled");
        assertEquals(List.of(), redeemed, "the code was redeemed");
        assertEquals(List.of(), kept);
    }

    @Test
    void theSamePersonInAnotherSessionOrNoneIsRefusedToo() throws Exception {
        assertInstanceOf(SignInResult.Failed.class, complete(ADELE, "another-session",
                answer(null, "adele@contoso.onmicrosoft.com", "adele-pw")));
        var noSession = assertInstanceOf(SignInResult.Failed.class, complete(null, null,
                answer(null, "adele@contoso.onmicrosoft.com", "adele-pw")));
        assertTrue(noSession.message().contains("not signed in to Docbridge at this address"), noSession.message());
        assertEquals(List.of(), redeemed);
    }

    @Test
    void anAccountThePluginRefusesKeepsNothing() throws Exception {
        var refused = assertInstanceOf(SignInResult.Failed.class, complete(ADELE, "adeles-session",
                answer(null, "megan@contoso.onmicrosoft.com", "admin-pw")));

        assertEquals("not megan@contoso.onmicrosoft.com", refused.message());
        assertEquals(List.of(), kept);
        assertTrue(hostSecrets.keys("sign-in/sharepoint/connection/").isEmpty());
    }

    @Test
    void signingInAgainAcceptsOnlyTheConnectionsOwnAccount() throws Exception {
        String id = assertInstanceOf(SignInResult.SignedIn.class, complete(ADELE, "adeles-session",
                answer(null, "adele@contoso.onmicrosoft.com", "adele-pw"))).connectionId();
        emulator.directory().addUser(emulator.directory().tenant("contoso.onmicrosoft.com").orElseThrow(), "alex",
                "Alex Wilber", "alex-pw", false);

        var other = assertInstanceOf(SignInResult.Failed.class, complete(ADELE, "adeles-session",
                answer(id, "alex@contoso.onmicrosoft.com", "alex-pw")));
        var again = assertInstanceOf(SignInResult.SignedIn.class, complete(ADELE, "adeles-session",
                answer(id, "adele@contoso.onmicrosoft.com", "adele-pw")));

        assertTrue(other.message().contains("signed in as adele@contoso.onmicrosoft.com, and you signed in as "
                + "alex@"), other.message());
        assertEquals(id, again.connectionId());
        assertTrue(again.again());
        assertEquals(List.of(id, id), kept);
    }

    @Test
    void cancelOnTheConsentPageIsDeclined() throws Exception {
        URI start = signIns.start(request(ADELE, "adeles-session", Map.of()), null, false, "setup-1");
        SignInBrowser browser = new SignInBrowser(emulator);
        browser.get(start.toString());
        browser.signIn("adele@contoso.onmicrosoft.com", "adele-pw");

        var declined = assertInstanceOf(SignInResult.Declined.class, complete(ADELE, "adeles-session",
                SignInBrowser.delivered(browser.submit(Map.of("decision", "cancel")))));
        assertEquals("setup-1", declined.setup());
    }

    @Test
    void aSignInStartedOnOneInstanceCompletesOnAnotherOnce() throws Exception {
        Map<String, String> answer = answer(null, "adele@contoso.onmicrosoft.com", "adele-pw");
        assertEquals(1, hostSecrets.keys("sign-in/sharepoint/pending/").size(), "kept in the store, not in memory");

        assertInstanceOf(SignInResult.SignedIn.class, instance().complete(request(ADELE, "adeles-session", answer)));
        assertInstanceOf(SignInResult.Failed.class, complete(ADELE, "adeles-session", answer), "used twice");
        assertTrue(hostSecrets.keys("sign-in/sharepoint/pending/").isEmpty());
    }

    @Test
    void pendingSignInsNobodyFinishedAreForgottenAfterFifteenMinutes() {
        signIns.start(request(ADELE, "adeles-session", Map.of()), null, false, "");
        now = now.plus(Duration.ofMinutes(16));
        signIns.start(request(ADELE, "adeles-session", Map.of()), null, false, "");

        assertEquals(1, hostSecrets.keys("sign-in/sharepoint/pending/").size(), "the abandoned sign-in is kept");
    }

    @Test
    void onlyAnAdministratorStartsASignInForTheOrganisation() {
        assertThrows(io.docbridge.api.PluginException.class, () -> signIns.start(request(ADELE, "adeles-session",
                Map.of()), null, true, ""));
        assertThrows(io.docbridge.api.PluginException.class, () -> signIns.start(request(null, null, Map.of()),
                null, false, ""));
    }
}
