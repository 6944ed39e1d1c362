package io.docbridge.host;

import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admin → Integrations → Microsoft 365 app registration: an administrator replaces the offline demo's emulator with
 * a real tenant's registration, the plugins sign people in there at once (no restart), the choice survives a
 * restart, its secret is never shown or stored in clear, and the emulator can be chosen again.
 */
class Microsoft365AdminTest {
    static final String CLIENT_ID = "00001111-aaaa-2222-bbbb-3333cccc4444";
    static final String SECRET = "Qx8Q~not-a-real-secret-but-long-enough";

    @TempDir
    Path root;

    private TestHost start() throws IOException {
        return TestHost.withMicrosoftPlugins(root, "onedrive-plugin.zip");
    }

    /** Where "Connect with Microsoft" in My Files sends a person. */
    private static String signInPage(TestHost host) {
        WebClient admin = host.admin();
        HttpResponse<String> connect = admin.get(admin.linkOn("/files/add/onedrive", "connect-microsoft"));
        assertEquals(302, connect.statusCode(), connect.body());
        return URLDecoder.decode(connect.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void aSignInStartedAsSoonAsTheHostAnswersWaitsForTheEmulatorStartingBesideIt() throws Exception {
        try (TestHost host = start()) {
            String signIn = signInPage(host); // nothing has waited for the emulator yet
            assertTrue(signIn.startsWith(host.host().emulator().orElseThrow().baseUrl().toString()), signIn);
        }
    }

    @Test
    void theOfflineDemosEmulatorWaitsUntilTheHostAnswersUnlessItsValuesAreReadSooner() throws Exception {
        // On two cores the emulator's start (its keys and certificates) made the first page half a second later.
        AtomicReference<HostConfig> config = new AtomicReference<>();
        try (TestHost host = TestHost.withMicrosoftPlugins(root, c -> {
            config.set(c);
            return c;
        }, "onedrive-plugin.zip")) {
            String emulated = host.host().services().integrations().values(OfflineDemo.INTEGRATION).get("cloud");
            // A second demo on this host's database, as one whose host has not answered yet: it waits...
            try (OfflineDemo waiting = new OfflineDemo(config.get(), host.host().jdbi(), host.host().services(),
                    host.host().plugins(), Files.createDirectories(root.resolve("not-answering-yet")))) {
                waiting.startIfWanted();
                Thread.sleep(700);
                assertFalse(waiting.started(), "the emulator started before the host answered");
                // ...until a sign-in reads the integration's values: the read starts it and waits for it (here it
                // finds the first host's emulator answering and uses that one).
                assertEquals(emulated, host.host().services().integrations().values(OfflineDemo.INTEGRATION)
                        .get("cloud"));
                assertTrue(waiting.started());
            }
        }
    }

    @Test
    void anEmulatorThatCannotStartLeavesTheHostRunningAndAdministratorsAreToldWhy() throws Exception {
        // The emulator starts once the host answers; before, a taken port stopped the whole host from starting.
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0);
             TestHost host = TestHost.withMicrosoftPlugins(root, c -> c.withEmulatorPort(taken.getLocalPort()),
                     "onedrive-plugin.zip")) {
            assertTrue(host.host().emulator().isEmpty());
            WebClient admin = host.admin();
            String page = admin.get("/admin/integrations").body();
            assertTrue(page.contains("the built-in emulator could not start ("), page);
            assertFalse(admin.get("/files").body().contains("id=\"offline-notice\""), "pages say it is emulated");
            HttpResponse<String> again = admin.post("/admin/integrations/microsoft365/emulator", Map.of());
            assertEquals(303, again.statusCode());
            String told = admin.follow(again).body();
            assertTrue(told.contains("The built-in emulator could not start: "), told);
        }
    }

    @Test
    void anAdministratorSwitchesFromTheEmulatorToARealTenantAndBack() throws Exception {
        try (TestHost host = start()) {
            String emulated = host.host().emulator().orElseThrow().baseUrl().toString();
            WebClient admin = host.admin();
            String page = admin.get("/admin/integrations").body();
            assertTrue(page.contains("Offline demo: Microsoft 365 is emulated on this machine."), page);
            assertTrue(page.contains(host.url("/plugins/onedrive/callback").toString()), "redirect URI not shown");
            assertTrue(signInPage(host).startsWith(emulated));

            // Mistakes are named in Microsoft Entra admin center's words; nothing is saved.
            HttpResponse<String> wrong = admin.post("/admin/integrations/microsoft365", Map.of("cloud", "Global",
                    "tenant", "contoso.onmicrosoft.com", "clientId", "my app", "clientSecret", SECRET));
            assertEquals(400, wrong.statusCode());
            assertTrue(wrong.body().contains("Enter the Application (client) ID from the app&#39;s Overview page")
                    || wrong.body().contains("Enter the Application (client) ID from the app's Overview page"), wrong.body());
            assertFalse(wrong.body().contains(SECRET), "the typed secret was rendered back");
            HttpResponse<String> noSecret = admin.post("/admin/integrations/microsoft365", Map.of("cloud", "Global",
                    "tenant", "contoso.onmicrosoft.com", "clientId", CLIENT_ID, "clientSecret", ""));
            assertTrue(noSecret.body().contains("not its Secret ID"), noSecret.body());
            assertTrue(signInPage(host).startsWith(emulated), "a refused registration was applied");

            HttpResponse<String> saved = admin.post("/admin/integrations/microsoft365", Map.of("cloud", "Global",
                    "tenant", "contoso.onmicrosoft.com", "clientId", CLIENT_ID, "clientSecret", SECRET));
            assertEquals(303, saved.statusCode(), saved.body());
            page = admin.follow(saved).body();
            assertTrue(page.contains("Connected to tenant contoso.onmicrosoft.com (Global), app " + CLIENT_ID
                    + ", saved here."), page);
            assertFalse(page.contains(SECRET));
            assertFalse(page.contains("id=\"offline-notice\""), "pages still say Microsoft 365 is emulated");
            // At once, through the plugin: msal4j builds the real authorize URL for the saved app.
            String signIn = signInPage(host);
            assertTrue(signIn.startsWith("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"),
                    signIn);
            assertTrue(signIn.contains("client_id=" + CLIENT_ID) && signIn.contains("code_challenge_method=S256"), signIn);
        }
        assertSecretNotInClear();

        // A restart keeps the administrator's choice: no emulator, no offline notice.
        try (TestHost host = start()) {
            assertTrue(host.host().emulator().isEmpty(), "the emulator started over a saved registration");
            WebClient admin = host.admin();
            String page = admin.get("/admin/integrations").body();
            assertTrue(page.contains("app " + CLIENT_ID + ", saved here."), page);
            assertTrue(page.contains("Saved and encrypted; leave empty to keep it."), page);
            assertTrue(signInPage(host).startsWith("https://login.microsoftonline.com/"));

            // Saving again without the secret keeps it (the form never has it).
            assertEquals(303, admin.post("/admin/integrations/microsoft365", Map.of("cloud", "US Government L4",
                    "tenant", "contoso.onmicrosoft.us", "clientId", CLIENT_ID, "clientSecret", "")).statusCode());
            assertTrue(signInPage(host).startsWith("https://login.microsoftonline.us/contoso.onmicrosoft.us/"));

            // Back to the offline demo.
            assertEquals(303, admin.post("/admin/integrations/microsoft365/emulator", Map.of()).statusCode());
            String emulated = host.host().emulator().orElseThrow().baseUrl().toString();
            assertTrue(signInPage(host).startsWith(emulated));
            assertTrue(admin.get("/files").body().contains("id=\"offline-notice\""));
            assertNothingWrittenIntoThePluginsStores(host);
        }
    }

    /**
     * The host configures the Microsoft plugins only through the integration they contribute: the offline demo, a
     * saved registration and the switch back left nothing in the plugins' own settings and secrets.
     */
    private static void assertNothingWrittenIntoThePluginsStores(TestHost host) {
        java.util.List<String> written = host.host().jdbi().withHandle(h -> h.createQuery("SELECT plugin_id || ' ' "
                + "|| name FROM plugin_settings WHERE plugin_id <> 'host' UNION ALL SELECT plugin_id || ' ' || name "
                + "FROM plugin_secrets WHERE plugin_id <> 'host'").mapTo(String.class).list());
        assertEquals(java.util.List.of(), written, "the host wrote into a plugin's stores");
    }

    /** The database and every other file of the host hold the secret only encrypted. */
    private void assertSecretNotInClear() throws IOException {
        byte[] needle = SECRET.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root.resolve("data"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                for (int i = 0; i + needle.length <= bytes.length; i++) {
                    int j = 0;
                    while (j < needle.length && bytes[i + j] == needle[j]) {
                        j++;
                    }
                    assertTrue(j < needle.length, "the client secret is in clear in " + file);
                }
            }
        }
    }
}
