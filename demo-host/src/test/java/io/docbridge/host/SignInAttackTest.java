package io.docbridge.host;

import io.docbridge.emulator.DemoSeed;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.SignInBrowser;
import io.docbridge.host.testing.SharePointAdmin;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The side doors of "Connect with Microsoft", tried through the real path (host → plugin → msal4j → emulator): a
 * sign-in link passed to someone else, a reconnect with another account, storage built on a person's connection.
 */
class SignInAttackTest {
    @TempDir
    Path root;
    TestHost host;
    M365Emulator emulator;
    WebClient admin;
    WebClient adele;
    WebClient alex;

    @BeforeEach
    void start() throws Exception {
        host = TestHost.withMicrosoftPlugins(root, "onedrive-plugin.zip", "sharepoint-plugin.zip");
        emulator = host.host().emulator().orElseThrow();
        admin = host.admin();
        admin.get("/admin/users");
        for (String name : List.of("adele", "alex")) {
            admin.post("/admin/users", Map.of("username", name, "displayName", name, "password",
                    name + "'s long password", "role", "USER"));
        }
        adele = host.client();
        adele.login("adele", "adele's long password");
        alex = host.client();
        alex.login("alex", "alex's long password");
    }

    @AfterEach
    void stop() {
        host.close();
    }

    /** The Microsoft sign-in link the person's Connect leads to. */
    private static String signInLink(WebClient person, String connect) {
        HttpResponse<String> toMicrosoft = person.connect(connect);
        assertEquals(302, toMicrosoft.statusCode(), toMicrosoft.body());
        return toMicrosoft.headers().firstValue("Location").orElseThrow();
    }

    /** Names of the stored secrets that hold a sign-in: token caches and the accounts connections were made with. */
    private List<String> storedSignIns() {
        return host.host().jdbi().withHandle(h -> h.createQuery("SELECT name FROM plugin_secrets WHERE name LIKE "
                + "'connection/%/cache' OR name LIKE 'sign-in/%/connection/%/account'").mapTo(String.class).list());
    }

    /**
     * The attack: the starter keeps the link and sends it to a colleague, who signs in on the genuine Microsoft page
     * in their own browser. The answer reaches the callback in the colleague's session: refused, nothing stored, and
     * the starter cannot use the answer either.
     */
    private void aLinkCompletedBySomeoneElseIsRefused(WebClient starter, String connect, String pluginId,
                                                      WebClient colleague, String colleaguesAccount) throws Exception {
        String link = signInLink(starter, connect);
        Map<String, String> answer = new SignInBrowser(emulator).signInAndConsent(link,
                colleaguesAccount + "@" + DemoSeed.TENANT_DOMAIN, DemoSeed.PASSWORD);

        HttpResponse<String> atColleague = colleague.callback("/plugins/" + pluginId + "/callback", answer);
        HttpResponse<String> atStarter = starter.callback("/plugins/" + pluginId + "/callback", answer);

        assertEquals(400, atColleague.statusCode(), atColleague.body());
        assertTrue(atColleague.body().contains("cancelled"), atColleague.body());
        assertEquals(400, atStarter.statusCode(), atStarter.body());
        assertTrue(atStarter.body().contains("expired or was already used"), atStarter.body());
        assertEquals(List.of(), storedSignIns());
    }

    @Test
    void aOneDriveSignInLinkCompletedBySomeoneElseStoresNothing() throws Exception {
        aLinkCompletedBySomeoneElseIsRefused(adele, "/files/add/onedrive", "onedrive", alex, "alex");
    }

    @Test
    void aSharePointLibrarySignInLinkCompletedBySomeoneElseStoresNothing() throws Exception {
        aLinkCompletedBySomeoneElseIsRefused(adele, "/files/add/sharepoint-library", "sharepoint", alex,
                "alex");
    }

    @Test
    void aStorageSignInLinkCompletedByAUserStoresNothing() throws Exception {
        aLinkCompletedBySomeoneElseIsRefused(admin, "/settings/storage/add/sharepoint", "sharepoint", adele, "adele");
    }

    @Test
    void aSignInLinkCompletedInABrowserSignedInToNobodyStoresNothingAndSaysWhereToSignIn() throws Exception {
        WebClient nobody = host.client();
        aLinkCompletedBySomeoneElseIsRefused(adele, "/files/add/onedrive", "onedrive", nobody, "adele");
    }

    @Test
    void connectByGetStoresNothingUntilASignInSucceeds() {
        for (int i = 0; i < 3; i++) {
            signInLink(adele, "/files/add/onedrive");
            signInLink(adele, "/files/add/sharepoint-library");
        }

        assertEquals(0L, (long) host.host().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM plugin_secrets "
                + "WHERE name LIKE 'connection/%' OR name LIKE 'sign-in/%/connection/%'").mapTo(Long.class).one()));
    }

    /** Adele's OneDrive, connected as adele@; returns its drive id. */
    private String addAdelesOneDrive() throws Exception {
        Map<String, String> answer = new SignInBrowser(emulator).signInAndConsent(
                signInLink(adele, "/files/add/onedrive"), "adele@" + DemoSeed.TENANT_DOMAIN, DemoSeed.PASSWORD);
        String form = new SharePointAdmin(adele, emulator).follow("/plugins/onedrive/callback",
                adele.callback("/plugins/onedrive/callback", answer)).body();
        Map<String, String> fields = new HashMap<>();
        for (String name : new String[]{"connection", "account", "drive", "driveName"}) {
            fields.put(name, WebClient.find(form, "name=\"" + name + "\" value=\"([^\"]*)\""));
        }
        fields.put("name", "My OneDrive");
        HttpResponse<String> saved = adele.post("/files/add/onedrive", fields);
        assertEquals(303, saved.statusCode(), saved.body());
        return WebClient.find(saved.headers().firstValue("Location").orElseThrow(), "/files/([0-9a-f-]{36})");
    }

    private String storedCache() {
        return host.host().jdbi().withHandle(h -> h.createQuery("SELECT ciphertext FROM plugin_secrets WHERE name "
                + "LIKE 'connection/%/cache'").mapTo(String.class).one());
    }

    @Test
    void reconnectAsAnotherAccountIsRefusedAndLeavesTheDriveAsItWasThenTheRightAccountRecoversIt() throws Exception {
        String id = addAdelesOneDrive();
        adele.afterSync("/files/" + id, "Welcome.txt");
        var adeles = emulator.directory().userByName("adele@" + DemoSeed.TENANT_DOMAIN).orElseThrow();
        emulator.clock().advance(java.time.Duration.ofHours(2));
        emulator.directory().revokeSessions(adeles, emulator.clock().instant());
        adele.post("/files/" + id + "/sync", Map.of());
        String signedOut = adele.afterSync("/files/" + id, "id=\"needs-reconnect\"");
        String reconnect = WebClient.find(signedOut, "id=\"reconnect\" href=\"([^\"]+)\"").replace("&amp;", "&");
        String before = storedCache();

        String link = signInLink(adele, reconnect);
        assertTrue(link.contains("login_hint=adele%40"), "the drive's account is suggested: " + link);
        HttpResponse<String> refused = adele.callback("/plugins/onedrive/callback", new SignInBrowser(emulator)
                .signInAndConsent(link, "alex@" + DemoSeed.TENANT_DOMAIN, DemoSeed.PASSWORD));

        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("signed in as adele@contoso.onmicrosoft.com, and you signed in as "
                + "alex@contoso.onmicrosoft.com"), refused.body());
        assertEquals(before, storedCache(), "the connection's sign-in was changed");

        HttpResponse<String> back = adele.callback("/plugins/onedrive/callback", new SignInBrowser(emulator)
                .signInAndConsent(signInLink(adele, reconnect), "adele@" + DemoSeed.TENANT_DOMAIN, DemoSeed.PASSWORD));
        assertTrue(back.headers().firstValue("Location").orElseThrow().startsWith("/files/" + id + "/reconnected?"),
                back.headers().toString());
        adele.post("/files/" + id + "/sync", Map.of());
        String resumed = adele.afterSync("/files/" + id, "Welcome.txt");
        for (int i = 0; i < 100 && resumed.contains("needs-reconnect"); i++) {
            Thread.sleep(50);
            resumed = adele.afterSync("/files/" + id, "Welcome.txt");
        }
        assertTrue(!resumed.contains("needs-reconnect"), resumed);
    }

    @Test
    void anAdministratorCannotBuildStorageOnAPersonsOwnConnection() throws Exception {
        // Adele connects for a library in her own My Files: a connection that is hers alone.
        Map<String, String> answer = new SignInBrowser(emulator).signInAndConsent(
                signInLink(adele, "/files/add/sharepoint-library"), "adele@" + DemoSeed.TENANT_DOMAIN,
                DemoSeed.PASSWORD);
        String sites = new SharePointAdmin(adele, emulator).follow("/plugins/sharepoint/callback",
                adele.callback("/plugins/sharepoint/callback", answer)).body();
        String libraryConnection = WebClient.find(sites, "name=\"connection\" value=\"([^\"]+)\"");

        admin.get("/settings/storage/add/sharepoint");
        HttpResponse<String> saved = admin.post("/settings/storage/add/sharepoint", Map.of("connection",
                libraryConnection, "account", "megan@" + DemoSeed.TENANT_DOMAIN, "site", "any", "siteName", "Any",
                "library", "any", "libraryName", "Documents", "name", "Borrowed", "layout", "BY_PROJECT",
                "root", "Docbridge"));

        assertEquals(400, saved.statusCode(), saved.body());
        assertTrue(saved.body().contains("belongs to one person"), saved.body());
    }
}
