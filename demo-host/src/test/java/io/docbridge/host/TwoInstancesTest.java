package io.docbridge.host;

import io.docbridge.emulator.DemoSeed;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.SignInBrowser;
import io.docbridge.host.testing.Postgres;
import io.docbridge.host.testing.SharePointAdmin;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two host instances on one PostgreSQL behind one public address (the load balancer's, registered with Microsoft),
 * in offline mode: the first instance's emulator serves both. A person's requests land on either instance.
 */
class TwoInstancesTest {
    @TempDir
    Path root;
    Postgres postgres;
    TestHost a;
    TestHost b;

    @BeforeEach
    void start() throws Exception {
        postgres = Postgres.create();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secretKey = Base64.getEncoder().encodeToString(key);
        String balancer;
        try (ServerSocket unused = new ServerSocket(0)) {
            balancer = "http://localhost:" + unused.getLocalPort() + "/";
        }
        a = instance("a", secretKey, balancer);
        b = instance("b", secretKey, balancer);
    }

    private TestHost instance(String name, String secretKey, String balancer) throws Exception {
        return TestHost.withMicrosoftPlugins(root.resolve(name), c -> c.withDatabase(postgres.url(), postgres.user(),
                postgres.password()).withSecretKey(secretKey).withPublicBaseUrl(balancer), "onedrive-plugin.zip");
    }

    @AfterEach
    void stop() throws Exception {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static long deltaRequests(M365Emulator emulator) {
        return emulator.faults().count(r -> r.path().endsWith("/delta"));
    }

    @Test
    void aSignInStartedOnOneInstanceFinishesOnTheOtherAndEachSyncRunsOnce() throws Exception {
        M365Emulator emulator = a.host().emulator().orElseThrow();
        assertTrue(b.host().emulator().isEmpty(), "the second instance started an emulator of its own");

        // Signed in on A, the administrator starts Connect with Microsoft there ...
        WebClient onA = a.admin();
        HttpResponse<String> toMicrosoft = onA.get("/plugins/onedrive/connect");
        Map<String, String> answer = new SignInBrowser(emulator).signInAndConsent(
                toMicrosoft.headers().firstValue("Location").orElseThrow(), "adele@" + DemoSeed.TENANT_DOMAIN,
                DemoSeed.PASSWORD);
        // ... and Microsoft's answer comes back through the load balancer to B, which finishes it.
        WebClient onB = onA.at(b.host().localUrl());
        HttpResponse<String> back = onB.callback("/plugins/onedrive/callback", answer);
        assertEquals(303, back.statusCode(), back.body());
        String form = new SharePointAdmin(onB, emulator).follow("/plugins/onedrive/callback", back).body();
        assertTrue(form.contains("Connected as <strong>adele@" + DemoSeed.TENANT_DOMAIN + "</strong>"), form);
        Map<String, String> fields = new HashMap<>();
        for (String name : new String[]{"connection", "account", "drive", "driveName"}) {
            fields.put(name, WebClient.find(form, "name=\"" + name + "\" value=\"([^\"]*)\""));
        }
        fields.put("name", "Adele's OneDrive");
        HttpResponse<String> saved = onB.post("/files/add/onedrive", fields);
        assertEquals(303, saved.statusCode(), saved.body());
        String drive = WebClient.find(saved.headers().firstValue("Location").orElseThrow(), "/files/([0-9a-f-]{36})");
        // Its first sync ran on one of them; both show it.
        onA.afterSync("/files/" + drive, "Welcome.txt");
        onB.afterSync("/files/" + drive, "Welcome.txt");

        // Sync Now pressed on both at once runs one sync: one more read of the change feed (nothing changed).
        long before = deltaRequests(emulator);
        onA.post("/files/" + drive + "/sync", Map.of());
        onB.post("/files/" + drive + "/sync", Map.of());
        onA.afterSync("/files/" + drive, "Last sync");
        Thread.sleep(1_500); // a second run, had one started, would have read the feed by now
        assertEquals(1, deltaRequests(emulator) - before, "Sync Now on two instances ran two syncs");
        String onBNow = onB.afterSync("/files/" + drive, "Last sync");
        assertTrue(onBNow.contains("Welcome.txt"), onBNow);
    }
}
