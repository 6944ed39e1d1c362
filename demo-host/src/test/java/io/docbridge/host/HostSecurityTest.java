package io.docbridge.host;

import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host's own side doors: password guessing, a CSRF token that outlives sign-in, forms from other sites. */
class HostSecurityTest {
    @TempDir
    Path root;
    TestHost host;

    @BeforeEach
    void start() {
        host = TestHost.start(root);
        WebClient admin = host.admin();
        admin.get("/admin/users");
        admin.post("/admin/users", Map.of("username", "adele", "displayName", "Adele Vance",
                "password", "adele's long password", "role", "USER"));
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private static HttpResponse<String> signIn(WebClient client, String username, String password) {
        client.get("/login");
        return client.post("/login", Map.of("username", username, "password", password, "next", "/documents"));
    }

    @Test
    void afterFiveWrongPasswordsEvenTheRightOneIsRefusedForAWhileWithRetryAfter() {
        WebClient guesser = host.client();
        for (int i = 0; i < 4; i++) {
            assertEquals(401, signIn(guesser, "adele", "guess " + i).statusCode());
        }
        HttpResponse<String> fifth = signIn(guesser, "adele", "guess 5");
        HttpResponse<String> right = signIn(host.client(), "adele", "adele's long password");

        assertEquals(429, fifth.statusCode(), fifth.body());
        assertEquals(429, right.statusCode(), "the right password after the guesses got in");
        assertTrue(right.body().contains("Too many wrong passwords"), right.body());
        long retryAfter = Long.parseLong(right.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 30, "Retry-After " + retryAfter);
        assertEquals(303, signIn(host.client(), "admin", TestHost.ADMIN_PASSWORD).statusCode(),
                "another account was locked by guesses at adele");
    }

    @Test
    void theCsrfTokenOfTheSignInPageIsNoGoodAfterSigningIn() {
        WebClient person = host.client();
        String before = WebClient.find(person.get("/login").body(), "name=\"_csrf\" value=\"([^\"]+)\"");
        assertEquals(303, person.post("/login", Map.of("username", "adele", "password", "adele's long password",
                "next", "/documents")).statusCode());
        String after = WebClient.find(person.get("/files").body(), "name=\"_csrf\" value=\"([^\"]+)\"");

        assertNotEquals(before, after);
        assertEquals(403, person.postRaw("/logout", Map.of("_csrf", before)).statusCode());
        assertEquals(303, person.postRaw("/logout", Map.of("_csrf", after)).statusCode());
    }

    @Test
    void aFormPostedFromAnotherSiteIsRefusedEvenWithTheToken() throws Exception {
        WebClient person = host.client();
        person.login("adele", "adele's long password");
        String token = WebClient.find(person.get("/files").body(), "name=\"_csrf\" value=\"([^\"]+)\"");
        HttpClient http = HttpClient.newBuilder().cookieHandler(person.cookies()).build();
        URI logout = host.url("/logout");

        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(logout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> own = http.send(HttpRequest.newBuilder(logout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://localhost:" + logout.getPort())
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + token)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(403, foreign.statusCode(), foreign.body());
        assertTrue(foreign.body().contains("another site"), foreign.body());
        assertEquals(303, own.statusCode(), own.body());
    }

    @Test
    void formsMaySubmitOnlyToTheHost() {
        String policy = host.client().get("/login").headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(policy.contains("form-action 'self'") && !policy.contains("https:"), policy);
    }
}
