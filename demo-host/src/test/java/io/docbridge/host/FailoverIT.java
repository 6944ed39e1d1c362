package io.docbridge.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docbridge.emulator.control.ControlServlet;
import io.docbridge.emulator.tls.Certificates;
import io.docbridge.host.testing.Cluster;
import io.docbridge.host.testing.HostProcess;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.Postgres;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two host processes on one PostgreSQL; the one running a long sync is killed (kill -9). Once its heartbeat lapses
 * the other instance runs the sync, and the index then holds exactly what the library holds. The first instance
 * runs the emulator (offline mode) and is the survivor; the second, killed, used it.
 */
class FailoverIT {
    /** Four change-feed pages of the plugins' 1,000: a sync long enough to be killed in the middle of. */
    private static final int NEW_FILES = 3_000;
    private static final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void aSyncClaimedByAKilledInstanceIsFinishedByTheOtherAndTheIndexEqualsTheLibrary() throws Exception {
        try (Postgres db = Postgres.create()) {
            String balancer = Cluster.balancerAddress();
            Path plugins = Files.createDirectories(root.resolve("plugins"));
            for (String zip : List.of("sharepoint-plugin.zip", TestHost.M365_LIBRARY)) {
                Files.copy(Path.of(System.getProperty("docbridge.test.plugins", "target/plugins"), zip),
                        plugins.resolve(zip));
            }
            List<String> args = List.of("--jdbc-url", db.url(), "--db-user", db.user(), "--db-password", db.password(),
                    "--public-url", balancer);
            Map<String, String> env = Map.of("DOCBRIDGE_SECRET_KEY", Cluster.newSecretKey());
            List<String> quickHeartbeat = List.of("-Ddocbridge.scheduler.heartbeat.seconds=1");
            try (HostProcess survivor = HostProcess.start(root.resolve("a"), plugins, args, env, quickHeartbeat);
                 HostProcess doomed = HostProcess.start(root.resolve("b"), plugins, args, env, quickHeartbeat)) {
                Control emulator = Control.of(root.resolve("a"));
                JsonNode state = emulator.get("/_control/state");
                String tenant = first(state.path("tenants"), "domain", "contoso.onmicrosoft.com").path("id").asText();
                String clientId = first(state.path("apps"), "displayName", "Docbridge").path("clientId").asText();
                emulator.post("/_control/apps/" + clientId + "/roles", "{\"tenant\":\"" + tenant
                        + "\",\"role\":\"Sites.ReadWrite.All\"}");
                JsonNode site = first(state.path("sites"), "displayName", "Project Document Control");
                JsonNode library = java.util.stream.StreamSupport.stream(state.path("drives").spliterator(), false)
                        .filter(d -> d.path("siteId").asText().equals(site.path("id").asText())
                                && d.path("name").asText().equals("Documents")).findFirst().orElseThrow();
                String libraryId = library.path("id").asText();

                // The administrator shares the library with everyone (app-only access); its first sync runs.
                WebClient admin = new WebClient(survivor.baseUrl());
                admin.login("admin", HostProcess.ADMIN_PASSWORD);
                admin.get("/admin/integrations/drives/add/sharepoint-library");
                HttpResponse<String> added = admin.post("/admin/integrations/drives/add/sharepoint-library", Map.of(
                        "name", "Documents", "connection", "app-only", "site", site.path("id").asText(),
                        "siteName", "Project Document Control", "library", libraryId, "libraryName", "Documents"));
                assertEquals(303, added.statusCode(), added.body());
                String drive = sql(db, "SELECT id FROM external_drives", String.class);
                awaitFinishedAfter(db, drive, Instant.EPOCH);

                // Many new files, and a slow Microsoft: the next sync takes a while.
                for (int i = 0; i < NEW_FILES; i++) {
                    emulator.put("/_control/drives/" + libraryId + "/files?path=" + URLEncoder.encode(
                            "/batch file " + i + ".txt", StandardCharsets.UTF_8), "content " + i);
                }
                emulator.post("/_control/faults/latency", "{\"millis\":1000}");
                // Sync Now on the doomed instance until it is the one that claims the run.
                WebClient onDoomed = admin.at(doomed.baseUrl());
                String claimedBy = "";
                for (int attempt = 0; attempt < 50 && !claimedBy.startsWith("docbridge-" + doomed.port() + "-");
                     attempt++) {
                    onDoomed.post("/files/" + drive + "/sync", Map.of());
                    for (int i = 0; i < 50 && claimedBy.isEmpty(); i++) {
                        Thread.sleep(50);
                        claimedBy = sql(db, "SELECT COALESCE(MAX(picked_by), '') FROM scheduled_tasks WHERE picked",
                                String.class);
                    }
                    if (!claimedBy.startsWith("docbridge-" + doomed.port() + "-")) {
                        awaitFinishedAfter(db, drive, Instant.now().minusSeconds(1));
                        claimedBy = "";
                    }
                }
                assertTrue(claimedBy.startsWith("docbridge-" + doomed.port() + "-"), "never claimed by the doomed");
                Thread.sleep(2_500); // mid-sync: some pages read, more to come
                assertTrue(sql(db, "SELECT running FROM task_last_runs WHERE task_key = 'host:drive-sync/" + drive + "'",
                        Boolean.class), "the sync ended before the kill: nothing would fail over");
                long before = sql(db, "SELECT COUNT(*) FROM drive_items WHERE drive_id = '" + drive + "'", Long.class);
                Instant killed = Instant.now();
                doomed.kill();

                // The survivor revives the claim once the heartbeat lapses and finishes the sync.
                emulator.post("/_control/faults/latency", "{\"millis\":0}");
                awaitFinishedAfter(db, drive, killed);
                long indexed = sql(db, "SELECT COUNT(*) FROM drive_items WHERE drive_id = '" + drive + "'",
                        Long.class);
                long inLibrary = java.util.stream.StreamSupport.stream(emulator.get("/_control/state").path("drives")
                        .spliterator(), false).filter(d -> d.path("id").asText().equals(libraryId)).findFirst()
                        .orElseThrow().path("items").asLong();
                assertEquals(inLibrary, indexed, "the index differs from the library after the failover");
                assertTrue(indexed > before, "the survivor added nothing after the kill (" + before + " before)");
            }
        }
    }

    private static JsonNode first(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (node.path(field).asText().equals(value)) {
                return node;
            }
        }
        throw new AssertionError("no " + field + " " + value + " in " + array);
    }

    private static void awaitFinishedAfter(Postgres db, String drive, Instant since) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                 var q = c.prepareStatement("SELECT finished_at FROM task_last_runs WHERE task_key = ? AND NOT running")) {
                q.setString(1, "host:drive-sync/" + drive);
                try (var rs = q.executeQuery()) {
                    if (rs.next() && rs.getObject(1, java.time.OffsetDateTime.class) != null
                            && rs.getObject(1, java.time.OffsetDateTime.class).toInstant().isAfter(since)) {
                        return;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the sync of " + drive + " did not finish");
    }

    private static <T> T sql(Postgres db, String query, Class<T> type) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             var q = c.createStatement(); var rs = q.executeQuery(query)) {
            rs.next();
            return rs.getObject(1, type);
        }
    }

    /**
     * The emulator's control API, at the address the host that started it logged, trusting the CA and sending the
     * token it wrote into its data folder.
     */
    private record Control(HttpClient http, URI base, String token) {
        static Control of(Path emulatorHostData) throws Exception {
            java.util.regex.Matcher logged = java.util.regex.Pattern.compile("Microsoft 365 is emulated at (https://\\S+)")
                    .matcher(Files.readString(emulatorHostData.resolveSibling(emulatorHostData.getFileName() + ".log")));
            if (!logged.find()) {
                throw new AssertionError("the host did not log where its emulator is");
            }
            String base = logged.group(1);
            Path emulatorData = emulatorHostData.resolve("m365-emulator");
            String pem = Files.readString(emulatorData.resolve("ca.pem"));
            String token = Files.readString(emulatorData.resolve("control-token")).trim();
            return new Control(HttpClient.newBuilder().sslContext(Certificates.trustingPem(pem)).build(),
                    URI.create(base), token);
        }

        JsonNode get(String path) throws Exception {
            return json.readTree(send(HttpRequest.newBuilder(base.resolve(path)).GET()));
        }

        void post(String path, String body) throws Exception {
            send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        void put(String path, String content) throws Exception {
            send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofString(content)));
        }

        private String send(HttpRequest.Builder request) throws Exception {
            HttpResponse<String> response = http.send(request.header(ControlServlet.TOKEN_HEADER, token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() < 300, response.statusCode() + " " + response.body());
            return response.body();
        }
    }
}
