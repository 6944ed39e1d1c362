package io.docbridge.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control API with nothing but HTTP, as a test written in another language would use it. */
class ControlApiTest {
    M365Emulator emulator;
    HttpClient http;

    @BeforeEach
    void start() {
        emulator = M365Emulator.builder().start();
        http = HttpClient.newBuilder().sslContext(emulator.clientSslContext()).build();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    HttpResponse<String> call(String method, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(emulator.baseUrl().resolve(path)).header("Content-Type",
                "application/json").header(io.docbridge.emulator.control.ControlServlet.TOKEN_HEADER,
                        emulator.controlToken()).method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode post(String path, String json) throws Exception {
        HttpResponse<String> r = call("POST", path, json);
        assertTrue(r.statusCode() < 300, () -> path + " → " + r.statusCode() + " " + r.body());
        return r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body());
    }

    HttpResponse<String> graph(String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(emulator.graphUrl() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void seedThroughHttpChangeAFileBehindTheClientsBackAndInjectFaults() throws Exception {
        String tenant = post("/_control/tenants", "{\"domain\":\"fabrikam.onmicrosoft.com\"}").path("id").asText();
        post("/_control/tenants/" + tenant + "/users", "{\"name\":\"pat\",\"displayName\":\"Pat Doe\","
                + "\"password\":\"pw\"}");
        String clientId = post("/_control/apps", "{\"displayName\":\"Tool\",\"redirectUris\":[\"https://x/\"],"
                + "\"secrets\":[\"s\"]}").path("clientId").asText();
        post("/_control/apps/" + clientId + "/roles", "{\"tenant\":\"" + tenant + "\",\"role\":\"Sites.ReadWrite.All\"}");
        String site = post("/_control/sites", "{\"hostname\":\"fabrikam.sharepoint.com\",\"path\":\"/sites/eng\","
                + "\"displayName\":\"Engineering\",\"members\":[]}").path("id").asText();
        String drive = post("/_control/sites/" + site + "/libraries", "{\"name\":\"Specs\"}").path("id").asText();
        String form = "grant_type=client_credentials&client_id=" + clientId + "&client_secret=s&scope="
                + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
        String token = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(emulator.authority(tenant)
                        + "oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()).body())
                .path("access_token").asText();

        HttpResponse<String> put = http.send(HttpRequest.newBuilder(emulator.baseUrl().resolve(
                        "/_control/drives/" + drive + "/files?path=/a.txt"))
                .header(io.docbridge.emulator.control.ControlServlet.TOKEN_HEADER, emulator.controlToken())
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofString("changed behind your back")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());
        JsonNode listed = Json.MAPPER.readTree(graph(token, "/drives/" + drive + "/root/children").body());
        assertEquals("a.txt", listed.path("value").get(0).path("name").asText());

        post("/_control/faults/throttle", "{\"count\":1,\"path\":\"/children\",\"status\":429,\"retryAfter\":7}");
        HttpResponse<String> throttled = graph(token, "/drives/" + drive + "/root/children");
        assertEquals(429, throttled.statusCode());
        assertEquals("7", throttled.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(200, graph(token, "/drives/" + drive + "/root/children").statusCode());

        JsonNode log = Json.MAPPER.readTree(call("GET", "/_control/requests", null).body());
        assertEquals(3, log.size(), log.toString());

        // What it holds, listed with the ids a tester needs (and never a password or a secret).
        String state = call("GET", "/_control/state", null).body();
        JsonNode held = Json.MAPPER.readTree(state);
        assertTrue(held.path("tenants").findValuesAsText("domain").contains("fabrikam.onmicrosoft.com"), state);
        assertTrue(held.path("users").findValuesAsText("userPrincipalName").contains("pat@fabrikam.onmicrosoft.com"),
                state);
        assertTrue(held.path("sites").findValuesAsText("id").contains(site), state);
        JsonNode specs = java.util.stream.StreamSupport.stream(held.path("drives").spliterator(), false)
                .filter(d -> d.path("id").asText().equals(drive)).findFirst().orElseThrow();
        assertEquals("Specs", specs.path("name").asText());
        assertEquals(site, specs.path("siteId").asText());
        assertFalse(specs.path("rootId").asText().isEmpty());
        assertEquals(1, specs.path("items").asInt(), "a.txt");
        assertFalse(state.contains("\"password\"") || state.contains("\"secrets\""), state);

        post("/_control/clock/advance", "{\"seconds\":7200}");
        assertEquals(401, graph(token, "/drives/" + drive).statusCode());
    }

    @Test
    void anUnknownControlEndpointIsA404AndAMissingFieldA400() throws Exception {
        assertEquals(404, call("POST", "/_control/nothing/here/at-all", "{}").statusCode());
        assertEquals(400, call("POST", "/_control/tenants", "{}").statusCode());
    }

    @Test
    void aCrossSitePageCannotDriveItAndNeitherCanACallerWithoutTheToken() throws Exception {
        String latency = "{\"millis\":5000}";
        HttpResponse<String> crossSite = http.send(HttpRequest.newBuilder(emulator.baseUrl()
                        .resolve("/_control/faults/latency")).header("Content-Type", "text/plain")
                .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString(latency)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> textPlainWithToken = http.send(HttpRequest.newBuilder(emulator.baseUrl()
                        .resolve("/_control/faults/latency")).header("Content-Type", "text/plain")
                .header(io.docbridge.emulator.control.ControlServlet.TOKEN_HEADER, emulator.controlToken())
                .POST(HttpRequest.BodyPublishers.ofString(latency)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(emulator.baseUrl()
                        .resolve("/_control/requests")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(403, crossSite.statusCode(), crossSite.body());
        assertEquals(403, textPlainWithToken.statusCode(), textPlainWithToken.body());
        assertEquals(403, noToken.statusCode(), noToken.body());
        long started = System.nanoTime();
        assertEquals(200, call("GET", "/_control/requests", null).statusCode());
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "the cross-site page injected latency");
    }

    @Test
    void theTokenIsWrittenToTheDataFolderReadableByItsOwnerOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (M365Emulator withData = M365Emulator.builder().dataDir(dir.resolve("data")).start()) {
            java.nio.file.Path file = dir.resolve("data/control-token");
            assertEquals(withData.controlToken(), java.nio.file.Files.readString(file));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(file)));
        }
    }
}
