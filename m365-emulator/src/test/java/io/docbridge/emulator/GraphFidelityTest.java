package io.docbridge.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.docbridge.emulator.graph.DriveStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where real Graph clients saw the emulator differ from Graph, each written from the Microsoft page it cites rather
 * than from our client's behaviour: fileSystemInfo, what delta leaves out, If-Match on upload sessions, and
 * pre-authenticated links on another host.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphFidelityTest {
    static final String CLIENT_CREATED = "2019-03-04T05:06:07Z";
    static final String CLIENT_MODIFIED = "2021-08-09T10:11:12Z";

    Contoso contoso;
    String token;
    HttpClient http;

    @BeforeAll
    void start() throws Exception {
        contoso = new Contoso();
        token = contoso.adeleToken();
        http = HttpClient.newBuilder().sslContext(contoso.emulator.clientSslContext()).build();
    }

    @AfterAll
    void stop() {
        contoso.close();
    }

    HttpResponse<String> call(String method, String url, String json, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method, json == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> graph(String method, String path, String json, Map<String, String> headers) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Authorization", "Bearer " + token);
        return call(method, contoso.emulator.graphUrl() + path, json, all);
    }

    JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    String items(DriveStore.Drive drive) {
        return "/drives/" + drive.id() + "/items/";
    }

    String unique() {
        return "f-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates an upload session for root:/name: and sends the whole content as one fragment, without a token. */
    HttpResponse<String> uploadThroughSession(DriveStore.Drive drive, String target, String item, byte[] bytes,
                                              Map<String, String> headers) throws Exception {
        HttpResponse<String> created = graph("POST", items(drive) + target + "/createUploadSession",
                "{\"item\":" + item + "}", headers);
        if (created.statusCode() != 200) {
            return created;
        }
        String url = json(created).path("uploadUrl").asText();
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Range", "bytes 0-"
                + (bytes.length - 1) + "/" + bytes.length).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * fileSystemInfo is read-write: "File system information on client" set on an upload session's item
     * (https://learn.microsoft.com/en-us/graph/api/driveitem-createuploadsession, request body) and by PATCH
     * (https://learn.microsoft.com/en-us/graph/api/driveitem-update); lastModifiedDateTime of the item stays the
     * service's (https://learn.microsoft.com/en-us/graph/api/resources/filesysteminfo).
     */
    @Test
    void fileSystemInfoSetByAnUploadSessionOrPatchIsKeptAndTheServiceTimeStaysItsOwn() throws Exception {
        Instant before = Instant.now().minusSeconds(5);
        String name = unique() + ".txt";
        JsonNode uploaded = json(uploadThroughSession(contoso.documents, "root:/" + name + ":",
                "{\"fileSystemInfo\":{\"createdDateTime\":\"" + CLIENT_CREATED + "\",\"lastModifiedDateTime\":\""
                        + CLIENT_MODIFIED + "\"}}", "hello".getBytes(), Map.of()));

        assertEquals(CLIENT_CREATED, uploaded.path("fileSystemInfo").path("createdDateTime").asText());
        assertEquals(CLIENT_MODIFIED, uploaded.path("fileSystemInfo").path("lastModifiedDateTime").asText());
        assertTrue(Instant.parse(uploaded.path("lastModifiedDateTime").asText()).isAfter(before));

        // A simple upload has no body for it: the client PATCHes it afterwards.
        String small = unique() + ".txt";
        JsonNode put = json(graph("PUT", items(contoso.documents) + "root:/" + small + ":/content", "x", Map.of()));
        JsonNode patched = json(graph("PATCH", items(contoso.documents) + put.path("id").asText(),
                "{\"fileSystemInfo\":{\"lastModifiedDateTime\":\"" + CLIENT_MODIFIED + "\"}}", Map.of()));
        assertEquals(CLIENT_MODIFIED, patched.path("fileSystemInfo").path("lastModifiedDateTime").asText());
        assertEquals(put.path("fileSystemInfo").path("createdDateTime").asText(),
                patched.path("fileSystemInfo").path("createdDateTime").asText(), "a time not given is kept");
        assertEquals(small, patched.path("name").asText(), "a PATCH of fileSystemInfo alone renames nothing");

        JsonNode read = json(graph("GET", items(contoso.documents) + put.path("id").asText(), null, Map.of()));
        assertEquals(CLIENT_MODIFIED, read.path("fileSystemInfo").path("lastModifiedDateTime").asText());
    }

    /**
     * driveitem-delta, Remarks (https://learn.microsoft.com/en-us/graph/api/driveitem-delta): "The parentReference
     * property on items won't include a value for path", and OneDrive for Business omits cTag on create/modify; a
     * consumer OneDrive keeps it.
     */
    @Test
    void deltaItemsHaveNoParentPathAndBusinessFilesNoCTag() throws Exception {
        String folder = unique();
        graph("PUT", items(contoso.documents) + "root:/" + folder + "/inner/a.txt:/content", "a", Map.of());
        JsonNode page = json(graph("GET", "/drives/" + contoso.documents.id() + "/root/delta?$top=1000", null,
                Map.of()));
        int files = 0;
        for (JsonNode item : page.path("value")) {
            assertFalse(item.path("parentReference").has("path"), item.toString());
            if (item.has("file")) {
                files++;
                assertFalse(item.has("cTag"), item.toString());
            }
        }
        assertTrue(files > 0);
        // The same item read directly has both (they are only missing from delta).
        JsonNode direct = json(graph("GET", items(contoso.documents) + "root:/" + folder + "/inner/a.txt", null,
                Map.of()));
        assertTrue(direct.path("parentReference").has("path"));
        assertTrue(direct.has("cTag"));

        DriveStore.Drive consumer = contoso.emulator.drives().addConsumerDrive(new DriveStore.Actor(
                contoso.adele.id(), "Adele", ""), Contoso.QUOTA);
        contoso.emulator.drives().commitFile(consumer.id(), contoso.emulator.drives().rootId(consumer.id()), "c.txt",
                contoso.emulator.drives().stage(new java.io.ByteArrayInputStream("c".getBytes())), "fail",
                DriveStore.Actor.SYSTEM, null);
        JsonNode personal = json(graph("GET", "/drives/" + consumer.id() + "/root/delta", null, Map.of()));
        JsonNode file = java.util.stream.StreamSupport.stream(personal.path("value").spliterator(), false)
                .filter(i -> i.has("file")).findFirst().orElseThrow();
        assertTrue(file.has("cTag"), file.toString());
        assertFalse(file.path("parentReference").has("path"));
    }

    /**
     * createUploadSession's if-match: "If this request header is included and the eTag (or cTag) provided does not
     * match the current etag on the item, a 412 Precondition Failed error response is returned."
     * (https://learn.microsoft.com/en-us/graph/api/driveitem-createuploadsession)
     */
    @Test
    void anUploadSessionWithAStaleETagIsRefusedWith412AndNothingIsWritten() throws Exception {
        String name = unique() + ".txt";
        JsonNode first = json(graph("PUT", items(contoso.documents) + "root:/" + name + ":/content", "one",
                Map.of()));
        String seen = first.path("eTag").asText();
        JsonNode second = json(graph("PUT", items(contoso.documents) + first.path("id").asText() + "/content", "two",
                Map.of()));
        assertNotEquals(seen, second.path("eTag").asText());

        HttpResponse<String> byId = uploadThroughSession(contoso.documents, first.path("id").asText(), "{}",
                "three".getBytes(), Map.of("If-Match", seen));
        HttpResponse<String> byPath = uploadThroughSession(contoso.documents, "root:/" + name + ":", "{}",
                "three".getBytes(), Map.of("If-Match", seen));

        assertEquals(412, byId.statusCode(), byId.body());
        assertEquals("resourceModified", json(byId).path("error").path("code").asText());
        assertEquals(412, byPath.statusCode(), byPath.body());
        JsonNode now = json(graph("GET", items(contoso.documents) + first.path("id").asText(), null, Map.of()));
        assertEquals(3, now.path("size").asLong(), "the content is still 'two'");

        HttpResponse<String> current = uploadThroughSession(contoso.documents, first.path("id").asText(), "{}",
                "three".getBytes(), Map.of("If-Match", second.path("eTag").asText()));
        assertEquals(200, current.statusCode(), current.body());
        assertEquals(5, json(current).path("size").asLong());
    }

    /**
     * Upload and download URLs are pre-authenticated and on another host than Graph: "Including the Authorization
     * header when issuing the PUT call may result in an HTTP 401 Unauthorized response"
     * (https://learn.microsoft.com/en-us/graph/api/driveitem-createuploadsession), and a downloadUrl "doesn't require
     * an Authorization header to download" (https://learn.microsoft.com/en-us/graph/api/driveitem-get-content).
     */
    @Test
    void preAuthenticatedLinksAreOnAnotherHostAndUploadsRefuseAToken() throws Exception {
        String graphHost = URI.create(contoso.emulator.graphUrl()).getHost();
        HttpResponse<String> created = graph("POST", items(contoso.documents) + "root:/" + unique()
                + ".bin:/createUploadSession", "{}", Map.of());
        URI upload = URI.create(json(created).path("uploadUrl").asText());
        assertNotEquals(graphHost, upload.getHost());

        HttpResponse<String> withToken = call("PUT", upload.toString(), "abc", Map.of("Authorization", "Bearer "
                + token, "Content-Range", "bytes 0-2/3"));
        assertEquals(401, withToken.statusCode(), withToken.body());
        HttpResponse<String> without = call("PUT", upload.toString(), "abc", Map.of("Content-Range", "bytes 0-2/3"));
        assertEquals(201, without.statusCode(), without.body());

        URI download = URI.create(json(without).path("@microsoft.graph.downloadUrl").asText());
        assertNotEquals(graphHost, download.getHost());
        HttpResponse<String> content = call("GET", download.toString(), null, Map.of());
        assertEquals("abc", content.body());
    }

    /** Turned off (for clients that send the token anyway), a fragment with a token is taken like one without. */
    @Test
    void theRefusalOfATokenOnAnUploadUrlCanBeTurnedOff() throws Exception {
        HttpResponse<String> created = graph("POST", items(contoso.documents) + "root:/" + unique()
                + ".bin:/createUploadSession", "{}", Map.of());
        String upload = json(created).path("uploadUrl").asText();
        contoso.emulator.faults().refuseTokenOnUploadUrls(false);
        try {
            HttpResponse<String> withToken = call("PUT", upload, "abc", Map.of("Authorization", "Bearer " + token,
                    "Content-Range", "bytes 0-2/3"));
            assertEquals(201, withToken.statusCode(), withToken.body());
        } finally {
            contoso.emulator.faults().refuseTokenOnUploadUrls(true);
        }
    }

    /** The emulator's short-lived maps forget what expired, so a long-running emulator does not grow. */
    @Test
    void expiringMapsForgetEntriesOnceTheirTimeHasPassed() {
        EmulatorClock clock = new EmulatorClock();
        Map<String, String> map = Expiring.map(clock, Duration.ofMinutes(10));
        for (int i = 0; i < 1000; i++) {
            map.put("k" + i, "v");
        }
        clock.advance(Duration.ofMinutes(11));
        map.put("fresh", "v");

        assertFalse(map.containsKey("k1"));
        assertEquals(Set.of("fresh"), Set.copyOf(map.keySet()));
    }

    /** Copies run on the emulator's own thread, which stops with it. */
    @Test
    void theCopyThreadStopsWithTheEmulator() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (Contoso other = new Contoso()) {
            String otherToken = other.adeleToken();
            HttpClient client = HttpClient.newBuilder().sslContext(other.emulator.clientSslContext()).build();
            String base = other.emulator.graphUrl() + "/drives/" + other.documents.id() + "/items/";
            HttpResponse<String> file = client.send(HttpRequest.newBuilder(URI.create(base + "root:/c.txt:/content"))
                    .header("Authorization", "Bearer " + otherToken).PUT(HttpRequest.BodyPublishers.ofString("c"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> copy = client.send(HttpRequest.newBuilder(URI.create(base
                            + json(file).path("id").asText() + "/copy")).header("Authorization", "Bearer " + otherToken)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"d.txt\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, copy.statusCode(), copy.body());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && copyThreadsStartedSince(before) > 0) {
            Thread.sleep(20);
        }
        assertEquals(0, copyThreadsStartedSince(before));
    }

    static long copyThreadsStartedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .filter(t -> t.getName().startsWith("emulator-copy")).filter(Thread::isAlive).count();
    }
}
