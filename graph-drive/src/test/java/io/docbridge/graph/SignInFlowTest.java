package io.docbridge.graph;

import io.docbridge.emulator.SignInBrowser;
import io.docbridge.tck.InMemorySecretStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "Connect with Microsoft" from the plugin's side, through the emulator's real pages. */
class SignInFlowTest {
    Tenant t;
    InMemorySecretStore secrets;
    SignInFlow flow;
    Set<String> scopes;

    @BeforeEach
    void start() {
        t = new Tenant();
        secrets = new InMemorySecretStore();
        flow = new SignInFlow(t.connection, Tenant.REDIRECT,
                id -> new MicrosoftSignIn(t.connection, secrets, "connection/" + id + "/cache"), Clock.systemUTC(),
                secrets);
        scopes = MicrosoftSignIn.filesAndSites(t.connection.cloud());
    }

    @AfterEach
    void stop() {
        t.close();
    }

    static final SignInFlow.Browser MEGANS = new SignInFlow.Browser("1", "megans-session");
    static final SignInFlow.AccountCheck ANY_ACCOUNT = (connection, owner, account) -> null;

    SignInBrowser browserAt(String connectionId) throws Exception {
        SignInBrowser browser = new SignInBrowser(t.emulator);
        browser.get(flow.start(connectionId, "1", "/settings/storage/add/sharepoint", scopes, MEGANS, null).toString());
        return browser;
    }

    /** Adele signs in at the start of a sign-in for the connection, consenting if asked; what comes back. */
    Map<String, String> adelesAnswer(String connectionId) throws Exception {
        SignInBrowser browser = browserAt(connectionId);
        var signedIn = browser.signIn("adele@contoso.onmicrosoft.com", "adele-pw");
        return SignInBrowser.delivered(browser.page.contains("Permissions requested")
                ? browser.submit(Map.of("decision", "accept")) : signedIn);
    }

    SignInFlow.Outcome complete(Map<String, String> answer) {
        return flow.complete(answer, scopes, MEGANS, ANY_ACCOUNT);
    }

    @Test
    void aCompletedSignInNamesTheAccountAndKeepsItsCacheUnderTheConnection() throws Exception {
        String id = SignInFlow.newConnectionId();
        Map<String, String> answer = adelesAnswer(id);

        SignInFlow.Outcome outcome = complete(answer);

        var signedIn = assertInstanceOf(SignInFlow.Outcome.SignedIn.class, outcome);
        assertEquals("adele@contoso.onmicrosoft.com", signedIn.account().username());
        assertEquals("/settings/storage/add/sharepoint", signedIn.returnTo());
        assertTrue(secrets.get("connection/" + id + "/cache").isPresent());
    }

    @Test
    void theSameAnswerCannotBeUsedTwiceNorAForgedOne() throws Exception {
        Map<String, String> answer = adelesAnswer(SignInFlow.newConnectionId());
        complete(answer);

        assertInstanceOf(SignInFlow.Outcome.Failed.class, complete(answer));
        assertInstanceOf(SignInFlow.Outcome.Failed.class, complete(Map.of("state", "forged", "code", "x")));
    }

    @Test
    void cancelOnTheConsentPageIsDeclined() throws Exception {
        SignInBrowser browser = browserAt(SignInFlow.newConnectionId());
        browser.signIn("adele@contoso.onmicrosoft.com", "adele-pw");

        SignInFlow.Outcome outcome = complete(SignInBrowser.delivered(browser.submit(Map.of("decision", "cancel"))));

        assertInstanceOf(SignInFlow.Outcome.Declined.class, outcome);
    }

    @Test
    void aTenantRequiringApprovalGetsTheAdminConsentLinkAndAfterApprovalUsersConnect() throws Exception {
        t.emulator.directory().putTenant(t.tenant.withUserConsentAllowed(false));
        SignInBrowser browser = browserAt(SignInFlow.newConnectionId());
        browser.signIn("adele@contoso.onmicrosoft.com", "adele-pw");
        String cancel = browser.page.replaceAll("(?s).*id=\"cancel-link\" href=\"([^\"]+)\".*", "$1")
                .replace("&amp;", "&");

        SignInFlow.Outcome outcome = complete(SignInBrowser.delivered(
                browser.get(t.emulator.baseUrl().resolve(cancel).toString())));

        var approval = assertInstanceOf(SignInFlow.Outcome.NeedsAdminApproval.class, outcome);
        t.emulator.directory().addUser(t.tenant, "megan", "Megan Bowen", "admin-pw", true);
        SignInBrowser admin = new SignInBrowser(t.emulator);
        admin.get(approval.adminConsentUrl().toString());
        admin.signIn("megan@contoso.onmicrosoft.com", "admin-pw");
        Map<String, String> approved = SignInBrowser.delivered(admin.submit(Map.of("decision", "accept")));
        assertEquals("True", approved.get("admin_consent"));
        assertInstanceOf(SignInFlow.Outcome.AdminApproved.class, complete(approved), "the approval read as a failure");

        SignInBrowser again = browserAt(SignInFlow.newConnectionId());
        SignInFlow.Outcome afterApproval = complete(SignInBrowser.delivered(
                again.signIn("adele@contoso.onmicrosoft.com", "adele-pw")));
        assertInstanceOf(SignInFlow.Outcome.SignedIn.class, afterApproval);
    }

    @Test
    void anAnswerBroughtToAnotherPersonOrSessionIsRefusedAndItsCodeNeverRedeemed() throws Exception {
        String id = SignInFlow.newConnectionId();
        Map<String, String> answer = adelesAnswer(id);

        List<SignedInAccount> redeemed = new ArrayList<>();
        SignInFlow.AccountCheck recording = (connection, owner, account) -> {
            redeemed.add(account);
            return null;
        };
        var otherPerson = flow.complete(answer, scopes, new SignInFlow.Browser("2", "adeles-session"), recording);
        var thenTheStarter = flow.complete(answer, scopes, MEGANS, recording);

        assertTrue(assertInstanceOf(SignInFlow.Outcome.Failed.class, otherPerson).message()
                .contains("started by someone else"));
        assertInstanceOf(SignInFlow.Outcome.Failed.class, thenTheStarter, "the sign-in was cancelled");
        assertTrue(secrets.get("connection/" + id + "/cache").isEmpty());
        assertEquals(List.of(), redeemed, "the code was redeemed");
    }

    @Test
    void theSamePersonInAnotherSessionIsRefusedToo() throws Exception {
        Map<String, String> answer = adelesAnswer(SignInFlow.newConnectionId());

        assertInstanceOf(SignInFlow.Outcome.Failed.class,
                flow.complete(answer, scopes, new SignInFlow.Browser("1", "another-session"), ANY_ACCOUNT));
        Map<String, String> secondAnswer = adelesAnswer(SignInFlow.newConnectionId());
        var noSession = assertInstanceOf(SignInFlow.Outcome.Failed.class,
                flow.complete(secondAnswer, scopes, new SignInFlow.Browser(null, null), ANY_ACCOUNT));
        assertTrue(noSession.message().contains("not signed in to Docbridge at this address"), noSession.message());
    }

    @Test
    void anAccountTheCheckRefusesStoresNothing() throws Exception {
        String id = SignInFlow.newConnectionId();
        Map<String, String> answer = adelesAnswer(id);

        var outcome = flow.complete(answer, scopes, MEGANS, (connection, owner, account) -> "not " + account.username());

        assertEquals("not adele@contoso.onmicrosoft.com",
                assertInstanceOf(SignInFlow.Outcome.Failed.class, outcome).message());
        assertTrue(secrets.get("connection/" + id + "/cache").isEmpty());
    }

    @Test
    void aSignInStartedOnOneInstanceCompletesOnAnotherThatSharesTheStoreOnce() throws Exception {
        String id = SignInFlow.newConnectionId();
        Map<String, String> answer = adelesAnswer(id);
        assertEquals(1, secrets.keys("signin/").size(), "the pending sign-in is kept in the store, not in memory");
        SignInFlow otherInstance = new SignInFlow(t.connection, Tenant.REDIRECT,
                c -> new MicrosoftSignIn(t.connection, secrets, "connection/" + c + "/cache"), Clock.systemUTC(),
                secrets);

        var signedIn = assertInstanceOf(SignInFlow.Outcome.SignedIn.class,
                otherInstance.complete(answer, scopes, MEGANS, ANY_ACCOUNT));
        assertEquals("adele@contoso.onmicrosoft.com", signedIn.account().username());
        assertInstanceOf(SignInFlow.Outcome.Failed.class, complete(answer), "used twice, on the first instance");
        assertTrue(secrets.keys("signin/").isEmpty());
    }

    @Test
    void pendingSignInsNobodyFinishedAreForgottenAfterFifteenMinutes() throws Exception {
        java.time.Instant[] now = {java.time.Instant.parse("2026-12-01T09:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return now[0];
            }
        };
        SignInFlow timed = new SignInFlow(t.connection, Tenant.REDIRECT,
                c -> new MicrosoftSignIn(t.connection, secrets, "connection/" + c + "/cache"), clock, secrets);
        timed.start(SignInFlow.newConnectionId(), "1", "/x", scopes, MEGANS, null);
        now[0] = now[0].plus(java.time.Duration.ofMinutes(16));
        timed.start(SignInFlow.newConnectionId(), "1", "/x", scopes, MEGANS, null);

        assertEquals(1, secrets.keys("signin/").size(), "the abandoned sign-in is still kept");
    }
}
