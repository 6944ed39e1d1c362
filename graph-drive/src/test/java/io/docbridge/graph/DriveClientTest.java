package io.docbridge.graph;

import com.microsoft.graph.models.DriveItem;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;
import io.docbridge.tck.Bytes;
import io.docbridge.tck.InMemorySecretStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The drive client against the emulator, signed in as a real user, with fragments small enough to see them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriveClientTest {
    static final int FRAGMENT = DriveClient.FRAGMENT_UNIT;
    static final int SIMPLE = 64 * 1024;

    Tenant t;
    DriveClient drives;
    final List<Duration> waits = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        t = new Tenant();
        MicrosoftSignIn signIn = t.signIn(new InMemorySecretStore());
        var scopes = MicrosoftSignIn.filesAndSites(t.connection.cloud());
        Retry retry = new Retry(4, Duration.ofMillis(10), Duration.ofSeconds(30), waits::add);
        // Small limits, so that files of a few hundred KiB show both ways of uploading.
        drives = DriveClient.connect(t.connection, () -> signIn.accessToken(scopes), retry, FRAGMENT, SIMPLE);
    }

    @org.junit.jupiter.api.BeforeEach
    void clearLog() {
        t.emulator.faults().clearLog();
    }

    @AfterEach
    void clearFaults() {
        t.emulator.faults().clear();
        t.emulator.drives().rewriteOfficeFiles(false);
        waits.clear();
    }

    @AfterAll
    void stop() {
        t.close();
    }

    String folderId() {
        return drives.ensureFolders(t.documents.id(), List.of("t-" + UUID.randomUUID())).getId();
    }

    byte[] download(DriveItem item) throws Exception {
        try (InputStream in = drives.download(t.documents.id(), item.getId())) {
            return in.readAllBytes();
        }
    }

    static PluginException failure(ErrorKind kind, Runnable call) {
        PluginException e = assertThrows(PluginException.class, call::run);
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void requestsTowardOneTenantAreBoundedAcrossThreads() throws Exception {
        String folder = folderId();
        t.emulator.faults().latency(Duration.ofMillis(100));
        t.emulator.faults().clearLog();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            List<java.util.concurrent.Future<List<DriveItem>>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                calls.add(pool.submit(() -> drives.children(t.documents.id(), folder)));
            }
            for (var call : calls) {
                call.get();
            }
        } finally {
            pool.shutdown();
        }

        int most = t.emulator.faults().mostInFlight();
        assertTrue(most <= TenantRequestLimit.PER_TENANT, most + " requests at once toward one tenant");
        assertTrue(most >= 2, "requests were not made in parallel at all");
    }

    @Test
    void sitesAreFoundBySearchAndByAPastedUrlAndListEveryLibrary() {
        assertEquals("Project Document Control", drives.searchSites("Project").get(0).getDisplayName());
        var site = drives.siteByUrl("https://contoso.sharepoint.com/sites/pdc/SitePages/Home.aspx");
        assertEquals(t.pdc.id(), site.getId());
        assertEquals(List.of("Documents", "Drawings"), drives.libraries(site.getId()).stream().map(d -> d.getName()).toList());
    }

    @Test
    void aPastedUrlThatIsNotASiteIsExplained() {
        failure(ErrorKind.INVALID_INPUT, () -> drives.siteByUrl("contoso/sites/pdc"));
        failure(ErrorKind.NOT_FOUND, () -> drives.siteByUrl("https://contoso.sharepoint.com/sites/nothing"));
    }

    @Test
    void ensureFoldersCreatesTheMissingOnesOnceAndReturnsTheSameFolderAfter() {
        List<String> path = List.of("PRJ-" + UUID.randomUUID(), "DOC-0001", "A");
        DriveItem first = drives.ensureFolders(t.documents.id(), path);
        DriveItem again = drives.ensureFolders(t.documents.id(), path);

        assertEquals(first.getId(), again.getId());
        assertEquals("A", first.getName());
    }

    @Test
    void aFileOfSeveralFragmentsStreamsUpAndComesBackTheSame() throws Exception {
        long size = 3L * FRAGMENT + 12_345;

        UploadResult result = drives.upload(t.documents.id(), folderId(), "drawing.dwg", Bytes.stream(5, size), size,
                "fail");

        assertTrue(result.hashMatches());
        assertEquals(size, result.item().getSize());
        assertArrayEquals(Bytes.stream(5, size).readAllBytes(), download(result.item()));
        assertEquals(4, t.emulator.faults().count(r -> r.method().equals("PUT") && r.path().startsWith("/_upload/")));
    }

    @Test
    void aSmallFileGoesInOneRequestWithoutAnUploadSession() throws Exception {
        byte[] bytes = "a small revision".getBytes(StandardCharsets.UTF_8);

        UploadResult result = drives.upload(t.documents.id(), folderId(), "small.txt", new ByteArrayInputStream(bytes),
                bytes.length, "fail");

        assertTrue(result.hashMatches());
        assertEquals(1, t.emulator.faults().count(r -> r.method().equals("PUT") && r.path().endsWith("/content")));
        assertEquals(0, t.emulator.faults().count(r -> r.path().contains("createUploadSession")
                || r.path().startsWith("/_upload/")));
    }

    @Test
    void emptyAndUnknownSizeFilesUploadToo() throws Exception {
        String folder = folderId();

        UploadResult empty = drives.upload(t.documents.id(), folder, "empty.txt", new ByteArrayInputStream(new byte[0]),
                0, "fail");
        UploadResult unknown = drives.upload(t.documents.id(), folder, "unknown.bin", Bytes.stream(9, 500_000), -1,
                "fail");

        assertEquals(0L, empty.item().getSize());
        assertTrue(empty.hashMatches());
        assertEquals(500_000L, unknown.item().getSize());
        assertTrue(unknown.hashMatches());
    }

    @Test
    void aThrottledFragmentWaitsAsLongAsRetryAfterSaysAndTheUploadCompletes() throws Exception {
        t.emulator.faults().throttleNext(1, "/_upload/", 429, 2);
        long size = 2L * FRAGMENT;

        UploadResult result = drives.upload(t.documents.id(), folderId(), "throttled.bin", Bytes.stream(6, size), size,
                "fail");

        assertEquals(List.of(Duration.ofSeconds(2)), waits);
        assertArrayEquals(Bytes.stream(6, size).readAllBytes(), download(result.item()));
    }

    @Test
    void aConnectionDroppedMidFragmentResumesFromWhatTheServiceHas() throws Exception {
        t.emulator.faults().dropNextUploadAfter(100_000);
        long size = 2L * FRAGMENT + 1;

        UploadResult result = drives.upload(t.documents.id(), folderId(), "dropped.bin", Bytes.stream(7, size), size,
                "fail");

        assertArrayEquals(Bytes.stream(7, size).readAllBytes(), download(result.item()));
        assertTrue(t.emulator.faults().count(r -> r.method().equals("GET") && r.path().startsWith("/_upload/")) >= 1,
                "the client did not ask the session where to resume");
        assertFalse(waits.isEmpty());
    }

    @Test
    void aFragmentWhoseBytesStopMovingIsGivenUpAndTheRestSent() throws Exception {
        // A server that stops reading leaves a socket write blocked, and Okio's write timeout no longer guards it
        // (it cost a quarter of an upload's CPU): the stall check gives the fragment up, the client asks the session
        // what it has and sends the rest.
        MicrosoftSignIn signIn = t.signIn(new InMemorySecretStore());
        var scopes = MicrosoftSignIn.filesAndSites(t.connection.cloud());
        int fragment = 160 * FRAGMENT; // 50 MiB: more than the loopback's socket buffers hold
        DriveClient watched = DriveClient.connect(t.connection, () -> signIn.accessToken(scopes),
                new Retry(4, Duration.ofMillis(10), Duration.ofSeconds(30), waits::add), fragment, SIMPLE,
                DriveClient.ANSWER_TIME, io.docbridge.api.Metrics.NONE, Duration.ofSeconds(1));
        long size = fragment + 1000L;
        // Half a second longer than the limit: the emulator holds the session while it stalls, so the next attempt
        // waits for the stall to end, well within the limit.
        t.emulator.faults().stallNextUploadAfter(1 << 20, Duration.ofMillis(1500));

        UploadResult result = watched.upload(t.documents.id(), folderId(), "stalled.bin", Bytes.stream(8, size),
                size, "fail");

        assertTrue(result.hashMatches());
        assertArrayEquals(Bytes.stream(8, size).readAllBytes(), download(result.item()));
        assertTrue(t.emulator.faults().count(r -> r.method().equals("GET") && r.path().startsWith("/_upload/")) >= 1,
                "the stalled fragment was not given up (no one asked the session where to resume)");
        // The check's thread lives only while fragments are sent: it must not keep the library plugin loaded.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(th -> th.getName().equals("graph-upload-stall-check")
                && th.isAlive())) {
            assertTrue(System.nanoTime() < deadline, "the stall check's thread outlived the uploads");
            Thread.sleep(100);
        }
    }

    @Test
    void aFragmentGivenUpForGoodSaysItTimedOut() throws Exception {
        MicrosoftSignIn signIn = t.signIn(new InMemorySecretStore());
        var scopes = MicrosoftSignIn.filesAndSites(t.connection.cloud());
        int fragment = 160 * FRAGMENT;
        DriveClient once = DriveClient.connect(t.connection, () -> signIn.accessToken(scopes),
                new Retry(1, Duration.ofMillis(10), Duration.ofSeconds(30), waits::add), fragment, SIMPLE,
                DriveClient.ANSWER_TIME, io.docbridge.api.Metrics.NONE, Duration.ofSeconds(1));
        long size = fragment + 1000L;
        t.emulator.faults().stallNextUploadAfter(1 << 20, Duration.ofMillis(2500));

        PluginException failure = assertThrows(PluginException.class, () -> once.upload(t.documents.id(), folderId(),
                "given-up.bin", Bytes.stream(9, size), size, "fail"));

        // As Okio's write timeout said it, not OkHttp's bare "Canceled".
        assertEquals(ErrorKind.TIMED_OUT, failure.kind(), failure.getMessage());
        assertEquals("Microsoft 365 did not answer in time while uploading a file.", failure.getMessage());
    }

    @Test
    void aShortOrLongStreamIsRefusedAndLeavesNothingBehind() {
        String folder = folderId();

        failure(ErrorKind.INVALID_INPUT, () -> drives.upload(t.documents.id(), folder, "short.bin",
                Bytes.stream(1, 100_000), 500_000, "fail"));
        failure(ErrorKind.INVALID_INPUT, () -> drives.upload(t.documents.id(), folder, "long.bin",
                Bytes.stream(1, 500_000), 100_000, "fail"));
        failure(ErrorKind.INVALID_INPUT, () -> drives.upload(t.documents.id(), folder, "small-long.bin",
                Bytes.stream(1, 5000), 1000, "fail"));

        assertEquals(0, t.emulator.drives().children(t.documents.id(), folder).size());
        assertTrue(t.emulator.faults().count(r -> r.method().equals("DELETE") && r.path().startsWith("/_upload/")) >= 1,
                "the abandoned upload sessions were not cancelled");
    }

    @Test
    void aTakenNameIsAConflictUnderFailAndGetsANewNameUnderRename() {
        String folder = folderId();
        byte[] bytes = "x".getBytes(StandardCharsets.UTF_8);
        drives.upload(t.documents.id(), folder, "plan.pdf", new ByteArrayInputStream(bytes), 1, "fail");

        failure(ErrorKind.CONFLICT, () -> drives.upload(t.documents.id(), folder, "plan.pdf",
                new ByteArrayInputStream(bytes), 1, "fail"));
        UploadResult renamed = drives.upload(t.documents.id(), folder, "plan.pdf", new ByteArrayInputStream(bytes), 1,
                "rename");

        assertEquals("plan 1.pdf", renamed.item().getName());
    }

    @Test
    void sharePointsRewriteOfAnOfficeFileIsAcceptedWithTheServersHash() {
        t.emulator.drives().rewriteOfficeFiles(true);
        byte[] bytes = "PK a workbook".getBytes(StandardCharsets.UTF_8);

        UploadResult result = drives.upload(t.documents.id(), folderId(), "budget.xlsx", new ByteArrayInputStream(bytes),
                bytes.length, "fail");

        assertFalse(result.hashMatches());
        assertNotEquals(bytes.length, result.item().getSize());
        assertEquals(result.item().getFile().getHashes().getQuickXorHash(),
                drives.item(t.documents.id(), result.item().getId()).getFile().getHashes().getQuickXorHash());
    }

    @Test
    void microsoftsRefusalsArriveAsTheirKinds() {
        String folder = folderId();
        String hrLibrary = t.emulator.drives().siteDrives(t.other.id()).get(0).id();
        var tiny = t.emulator.drives().addLibrary(t.pdc, "Tiny " + UUID.randomUUID(), 10);

        failure(ErrorKind.NAME_NOT_ALLOWED, () -> drives.ensureFolders(t.documents.id(), List.of("what?")));
        failure(ErrorKind.ACCESS_DENIED, () -> drives.drive(hrLibrary));
        failure(ErrorKind.NOT_FOUND, () -> drives.download(t.documents.id(), "01NOSUCHITEM"));
        String full = failure(ErrorKind.TOO_LARGE, () -> drives.upload(tiny.id(), "root", "big.bin",
                Bytes.stream(1, 100), 100, "fail")).getMessage();
        assertTrue(full.startsWith("The library's storage is full, so Microsoft 365 refused the file while"), full);
        assertEquals(0, t.emulator.drives().children(t.documents.id(), folder).size());
    }

    @Test
    void eachFailingRequestReportsItsOwnClientRequestId() {
        String hrLibrary = t.emulator.drives().siteDrives(t.other.id()).get(0).id();
        String first = failure(ErrorKind.ACCESS_DENIED, () -> drives.drive(hrLibrary)).getMessage();
        String second = failure(ErrorKind.ACCESS_DENIED, () -> drives.drive(hrLibrary)).getMessage();

        String id = "\\[client-request-id ([0-9a-f-]{36})]";
        java.util.regex.Matcher a = java.util.regex.Pattern.compile(id).matcher(first);
        java.util.regex.Matcher b = java.util.regex.Pattern.compile(id).matcher(second);
        assertTrue(a.find() && b.find(), first + " / " + second);
        assertNotEquals(a.group(1), b.group(1), "two requests, one client-request-id");
    }

    /** A client whose person-facing answers time out after one second, as the host's would after 25. */
    DriveClient impatient() throws Exception {
        return client(Duration.ofSeconds(1), io.docbridge.api.Metrics.NONE);
    }

    /** A client of its own, signed in afresh. */
    DriveClient client(Duration answerTime, io.docbridge.api.Metrics metrics) throws Exception {
        MicrosoftSignIn signIn = t.signIn(new InMemorySecretStore());
        var scopes = MicrosoftSignIn.filesAndSites(t.connection.cloud());
        return DriveClient.connect(t.connection, () -> signIn.accessToken(scopes),
                new Retry(4, Duration.ofMillis(10), Duration.ofSeconds(30), waits::add).counting(metrics), FRAGMENT,
                SIMPLE, answerTime, metrics);
    }

    long posts() {
        return t.emulator.faults().count(r -> r.method().equals("POST") && r.path().endsWith("/children"));
    }

    @Test
    void aFolderCreateThatTimesOutIsNotRepeatedAndSaysTheFolderMayExist() throws Exception {
        String parent = folderId();
        DriveClient client = impatient();
        client.item(t.documents.id(), parent); // signed in before Microsoft slows down
        t.emulator.faults().clearLog();
        t.emulator.faults().latency(Duration.ofSeconds(3));

        long started = System.nanoTime();
        PluginException e = failure(ErrorKind.TIMED_OUT, () -> client.createFolder(t.documents.id(), parent,
                "Minutes", "fail"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals("Microsoft 365 did not answer in time; the folder may have been created.", e.getMessage());
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "the person waited " + took);
        t.emulator.faults().latency(Duration.ZERO);
        // The slow create still lands, once: it was never sent a second time.
        long deadline = System.currentTimeMillis() + 10_000;
        while (t.emulator.drives().children(t.documents.id(), parent).isEmpty()
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of("Minutes"), t.emulator.drives().children(t.documents.id(), parent).stream()
                .map(i -> i.name()).toList());
        assertEquals(1, posts());
    }

    @Test
    void aFolderCreateWhoseAnswerCameTooLateIsFoundInsteadOfCreatedAgain() throws Exception {
        String parent = folderId();
        DriveClient client = impatient();
        client.item(t.documents.id(), parent);
        t.emulator.faults().clearLog();
        t.emulator.faults().answerLate("POST", "/children", Duration.ofSeconds(2));

        DriveItem made = client.createFolder(t.documents.id(), parent, "Minutes", "fail");

        assertEquals("Minutes", made.getName());
        assertEquals(1, t.emulator.drives().children(t.documents.id(), parent).size());
        assertEquals(1, posts());
    }

    @Test
    void aFolderCreateRefusedAsBusyIsSentAgainAfterRetryAfter() {
        String parent = folderId();
        t.emulator.faults().clearLog();
        t.emulator.faults().throttleNext(1, "/children", 503, 0);

        DriveItem made = drives.createFolder(t.documents.id(), parent, "Minutes", "fail");

        assertEquals("Minutes", made.getName());
        assertEquals(1, t.emulator.drives().children(t.documents.id(), parent).size());
        assertEquals(2, posts());
    }

    @Test
    void aSmallUploadWhoseAnswerCameTooLateIsFoundByItsHashNotUploadedAgain() throws Exception {
        String parent = folderId();
        DriveClient client = impatient();
        client.item(t.documents.id(), parent);
        t.emulator.faults().clearLog();
        t.emulator.faults().answerLate("PUT", "/content", Duration.ofSeconds(2));
        byte[] bytes = "the minutes".getBytes(StandardCharsets.UTF_8);

        UploadResult result = client.upload(t.documents.id(), parent, "Minutes.txt", new ByteArrayInputStream(bytes),
                bytes.length, "rename");

        assertEquals("Minutes.txt", result.item().getName());
        assertTrue(result.hashMatches());
        assertEquals(1, t.emulator.drives().children(t.documents.id(), parent).size());
        assertEquals(1, t.emulator.faults().count(r -> r.method().equals("PUT") && r.path().endsWith("/content")));
    }

    @Test
    void aSlowAnswerFailsAPersonsCallWithinTheAnswerTimeButTheChangeFeedWaits() throws Exception {
        DriveClient client = impatient();
        client.item(t.documents.id(), "root");
        t.emulator.faults().latency(Duration.ofMillis(1500));

        String message = failure(ErrorKind.TIMED_OUT, () -> client.item(t.documents.id(), "root")).getMessage();
        assertEquals("Microsoft 365 did not answer in time while reading an item.", message);
        assertFalse(client.delta(t.documents.id(), null, 5).changes().isEmpty());
    }

    @Test
    void requestsByStatusRetryWaitsAndUploadBytesAreCounted() throws Exception {
        java.util.Map<String, Long> counted = new java.util.concurrent.ConcurrentHashMap<>();
        io.docbridge.api.Metrics metrics = new io.docbridge.api.Metrics() {
            @Override
            public void count(String name, long amount, String... tags) {
                counted.merge(name + java.util.Arrays.toString(tags), amount, Long::sum);
            }

            @Override
            public void time(String name, Duration took, String... tags) {
            }
        };
        DriveClient client = client(DriveClient.ANSWER_TIME, metrics);
        String parent = client.ensureFolders(t.documents.id(), List.of("m-" + UUID.randomUUID())).getId();
        t.emulator.faults().throttleNext(1, "/children", 429, 0);

        client.createFolder(t.documents.id(), parent, "Counted", "fail");
        client.upload(t.documents.id(), parent, "small.bin", Bytes.stream(3, 1000), 1000, "fail");
        client.upload(t.documents.id(), parent, "large.bin", Bytes.stream(4, 3 * FRAGMENT), 3 * FRAGMENT, "fail");

        assertEquals(1L, counted.get("graph.requests[method, POST, status, 429]"), counted.toString());
        assertTrue(counted.get("graph.requests[method, POST, status, 201]") >= 1, counted.toString());
        assertEquals(1L, counted.get("graph.retry.waits[reason, throttled]"), counted.toString());
        assertEquals(1000L + 3 * FRAGMENT, counted.get("graph.upload.bytes[]"), counted.toString());
    }

    @Test
    void aCreateARenameAndAnUploadRetriedAfterThrottlingSendTheirWholeBodyAgain() {
        // The SDK's models send only what changed since they were last serialized: a retry that reused one sent an
        // empty body ("Only folders can be created this way").
        String parent = folderId();
        t.emulator.faults().throttleNext(1, "/children", 429, 0);
        DriveItem folder = drives.createFolder(t.documents.id(), parent, "Retried", "fail");
        assertEquals("Retried", folder.getName());

        t.emulator.faults().throttleNext(1, "/items/" + folder.getId(), 429, 0);
        assertEquals("Renamed after a retry", drives.move(t.documents.id(), folder.getId(), null,
                "Renamed after a retry").getName());

        t.emulator.faults().throttleNext(1, "/createUploadSession", 429, 0);
        UploadResult uploaded = drives.upload(t.documents.id(), parent, "after a retry.bin",
                Bytes.stream(6, 2 * FRAGMENT), 2 * FRAGMENT, "fail");
        assertEquals("after a retry.bin", uploaded.item().getName());
    }
}
