package io.docbridge.host;

import io.docbridge.host.testing.HostProcess;
import io.docbridge.host.testing.Postgres;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the host acknowledged survives kill -9 at any moment. The built jar runs as a child process; one loop creates
 * documents with files while another downloads them, and the host is killed at a random moment, again and again.
 * After every restart: each acknowledged document is there with identical bytes, no id was given to two documents,
 * and no file is left in the storage without its document (start-up reconciliation removed it).
 */
class HostCrashIT {
    private static final int KILLS = Integer.getInteger("docbridge.crash.kills", 20);
    private static final Pattern DOCUMENT_ID = Pattern.compile("/documents/(\\d+)$");

    @TempDir
    Path root;

    /** An acknowledged document: the number it was created with and the SHA-256 of its file. */
    record Acknowledged(String number, String sha256) {
    }

    @Test
    void acknowledgedDocumentsSurviveKillNineOnH2() throws Exception {
        crashRepeatedly(List.of());
    }

    @Test
    void acknowledgedDocumentsSurviveKillNineOnPostgres() throws Exception {
        try (Postgres db = Postgres.create()) {
            crashRepeatedly(List.of("--jdbc-url", db.url(), "--db-user", db.user(), "--db-password", db.password()));
        }
    }

    private void crashRepeatedly(List<String> database) throws Exception {
        Path data = root.resolve("data");
        Path plugins = Files.createDirectories(root.resolve("plugins"));
        Map<Long, Acknowledged> acknowledged = new ConcurrentHashMap<>();
        Set<Long> lastRound = ConcurrentHashMap.newKeySet();
        AtomicReference<String> inFlight = new AtomicReference<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        Random random = new Random(42);
        long projectId = -1;
        for (int round = 0; round < KILLS; round++) {
            HostProcess host = HostProcess.start(data, plugins, database);
            try {
                WebClient admin = new WebClient(host.baseUrl());
                admin.login("admin", HostProcess.ADMIN_PASSWORD);
                if (projectId < 0) {
                    projectId = createProject(admin);
                }
                // Every round: all acknowledged documents listed under their ids, the last round's read back
                // byte for byte (what the kill put at risk), no orphans. Every document's bytes at the end.
                checkListed(admin, acknowledged);
                checkBytes(admin, acknowledged, lastRound);
                checkNoOrphans(admin, data);
                lastRound.clear();
                createAgainWhatWasInFlight(admin, projectId, inFlight.getAndSet(null));

                AtomicBoolean stop = new AtomicBoolean();
                long project = projectId;
                int r = round;
                Thread writer = new Thread(() -> createDocuments(host, project, r, acknowledged, lastRound,
                        inFlight, problems, stop));
                Thread reader = new Thread(() -> downloadDocuments(host, acknowledged, problems, stop));
                writer.start();
                reader.start();
                // Killed at a random moment once this round has done some work (a slow start, a slow database or a
                // busy machine must not turn a round into a kill of an idle host).
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (lastRound.isEmpty() && problems.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                Thread.sleep(random.nextInt(1500));
                host.kill();
                stop.set(true);
                writer.join();
                reader.join();
                assertEquals(List.of(), problems);
            } finally {
                host.kill();
            }
        }
        HostProcess last = HostProcess.start(data, plugins, database);
        try {
            WebClient admin = new WebClient(last.baseUrl());
            admin.login("admin", HostProcess.ADMIN_PASSWORD);
            checkListed(admin, acknowledged);
            checkBytes(admin, acknowledged, acknowledged.keySet());
            checkNoOrphans(admin, data);
            assertTrue(acknowledged.size() >= KILLS, "too little work was acknowledged to prove anything: "
                    + acknowledged.size());
        } finally {
            last.kill();
        }
    }

    private static long createProject(WebClient admin) {
        admin.get("/documents");
        HttpResponse<String> created = admin.post("/projects", Map.of("code", "CR", "name", "Crash test"));
        assertEquals(303, created.statusCode(), created.body());
        return Long.parseLong(WebClient.find(created.headers().firstValue("Location").orElseThrow(),
                "project=(\\d+)"));
    }

    /** Creates documents until the host dies; records each one the host acknowledged (303 to its page). */
    private static void createDocuments(HostProcess host, long projectId, int round,
                                        Map<Long, Acknowledged> acknowledged, Set<Long> lastRound,
                                        AtomicReference<String> inFlight, List<String> problems, AtomicBoolean stop) {
        WebClient client = new WebClient(host.baseUrl());
        Random random = new Random(round);
        try {
            client.login("admin", HostProcess.ADMIN_PASSWORD);
            client.get("/documents/new");
            for (int i = 0; !stop.get(); i++) {
                String number = "R" + round + "-" + i;
                inFlight.set(number);
                byte[] content = new byte[1 + random.nextInt(200_000)];
                random.nextBytes(content);
                HttpResponse<String> created = client.upload("/documents/new", Map.of("project",
                        Long.toString(projectId), "number", number, "title", "Crash " + number, "type", "Report",
                        "status", "Draft", "code", "A"), number + ".bin", content);
                if (created.statusCode() != 303) {
                    problems.add(number + " was refused: " + created.statusCode());
                    return;
                }
                inFlight.set(null);
                Matcher id = DOCUMENT_ID.matcher(created.headers().firstValue("Location").orElseThrow());
                if (!id.find()) {
                    problems.add(number + " was acknowledged without its id");
                    return;
                }
                long documentId = Long.parseLong(id.group(1));
                Acknowledged before = acknowledged.put(documentId, new Acknowledged(number, sha256(content)));
                lastRound.add(documentId);
                if (before != null) {
                    problems.add("document id " + id.group(1) + " was given to " + before.number() + " and " + number);
                }
            }
        } catch (UncheckedIOException | AssertionError dead) {
            // the host was killed
        }
    }

    /** Downloads acknowledged documents until the host dies: every complete answer has the stored bytes. */
    private static void downloadDocuments(HostProcess host, Map<Long, Acknowledged> acknowledged,
                                          List<String> problems, AtomicBoolean stop) {
        WebClient client = new WebClient(host.baseUrl());
        try {
            client.login("admin", HostProcess.ADMIN_PASSWORD);
            while (!stop.get()) {
                List<Long> ids = new ArrayList<>(acknowledged.keySet());
                if (ids.isEmpty()) {
                    Thread.sleep(20);
                    continue;
                }
                long id = ids.get((int) (Math.random() * ids.size()));
                HttpResponse<byte[]> file = client.download(revisionLink(client, id));
                if (file.statusCode() == 200 && !sha256(file.body()).equals(acknowledged.get(id).sha256())) {
                    problems.add("document " + id + " downloaded with other bytes (" + file.body().length + ")");
                }
            }
        } catch (UncheckedIOException | AssertionError | IllegalStateException dead) {
            // the host was killed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String revisionLink(WebClient client, long documentId) {
        return WebClient.find(client.get("/documents/" + documentId).body(), "href=\"(/revisions/\\d+/download)\"");
    }

    /**
     * The document the kill interrupted can be created again: either its rows committed (the number is taken, and
     * said so) or reconciliation removed its stored file. Never a conflict with a file nobody can see.
     */
    private static void createAgainWhatWasInFlight(WebClient admin, long projectId, String number) {
        if (number == null) {
            return;
        }
        admin.get("/documents/new");
        HttpResponse<String> again = admin.upload("/documents/new", Map.of("project", Long.toString(projectId),
                "number", number, "title", "Again " + number, "type", "Report", "status", "Draft", "code", "A"),
                number + ".bin", new byte[]{1, 2, 3});
        assertTrue(again.statusCode() == 303 || again.statusCode() == 400 && again.body().contains("already used"),
                () -> number + " could not be created again: " + again.statusCode() + "\n" + again.body());
    }

    /** Every document the list shows, id to number, from all of its pages. */
    private static Map<Long, String> listed(WebClient admin) {
        Map<Long, String> listed = new java.util.HashMap<>();
        Pattern row = Pattern.compile("href=\"/documents/(\\d+)\">(R\\d+-\\d+)</a>");
        Pattern older = Pattern.compile("id=\"older-page\" href=\"([^\"]+)\"");
        for (String page = "/documents"; page != null; ) {
            String body = admin.get(page).body();
            row.matcher(body).results().forEach(m -> listed.put(Long.parseLong(m.group(1)), m.group(2)));
            java.util.regex.Matcher next = older.matcher(body);
            page = next.find() ? next.group(1).replace("&amp;", "&") : null;
        }
        return listed;
    }

    /** Every acknowledged document is listed, under the id it was acknowledged with: none lost, no id reused. */
    private static void checkListed(WebClient admin, Map<Long, Acknowledged> acknowledged) {
        Map<Long, String> listed = listed(admin);
        for (var entry : acknowledged.entrySet()) {
            assertEquals(entry.getValue().number(), listed.get(entry.getKey()), "acknowledged document "
                    + entry.getValue().number() + " (id " + entry.getKey() + ") is lost or became another");
        }
    }

    /** The documents' files read back byte for byte. */
    private static void checkBytes(WebClient admin, Map<Long, Acknowledged> acknowledged, Set<Long> ids) {
        for (long id : ids) {
            HttpResponse<byte[]> file = admin.download(revisionLink(admin, id));
            assertEquals(200, file.statusCode());
            assertEquals(acknowledged.get(id).sha256(), sha256(file.body()), "the file of "
                    + acknowledged.get(id).number());
        }
    }

    /** Every file in the host's local storage belongs to a document the host lists, and no upload is half-done. */
    private static void checkNoOrphans(WebClient admin, Path data) throws IOException {
        Set<String> listed = Set.copyOf(listed(admin).values());
        Path files = data.resolve("files");
        if (!Files.exists(files)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(files)) {
            List<String> orphans = walk.filter(Files::isRegularFile).map(files::relativize).map(Path::toString)
                    .filter(p -> p.startsWith(".incoming") || !listed.contains(p.split("/")[1]))
                    .toList();
            assertEquals(List.of(), orphans, "files without a document after start-up reconciliation");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
