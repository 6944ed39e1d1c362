package io.docbridge.host;

import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Documents and revisions over real HTTP against a real host, database and local-disk storage. */
class DocumentsHttpTest {
    private static final long UPLOAD_LIMIT = 64 * 1024;

    @TempDir
    Path root;
    TestHost host;
    WebClient admin;

    @BeforeEach
    void start() {
        host = TestHost.start(root, c -> c.withMaxUploadBytes(UPLOAD_LIMIT));
        admin = host.admin();
        assertEquals(303, admin.post("/projects", Map.of("code", "PRJ-1", "name", "Harbour bridge")).statusCode());
        admin.get("/documents/new");
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private static Map<String, String> newDocument(String title) {
        return Map.of("project", "1", "number", "", "title", title, "type", "Drawing", "status", "Draft", "code", "A");
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    private long documentCount() {
        return admin.get("/documents").body().split("href=\"/documents/\\d+\"", -1).length - 1;
    }

    @Test
    void aDocumentCreatedWithAFileDownloadsTheSameBytes() {
        byte[] file = randomBytes(20_000);

        HttpResponse<String> created = admin.upload("/documents/new", newDocument("General arrangement"), "ga.pdf", file);
        String page = admin.follow(created).body();

        assertTrue(page.contains("PRJ-1-0001"), page);
        String download = WebClient.find(page, "href=\"(/revisions/\\d+/download)\"");
        HttpResponse<byte[]> back = admin.download(download);
        assertEquals(200, back.statusCode());
        assertArrayEquals(file, back.body());
        assertTrue(back.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment;"));
    }

    @Test
    void aFileNameUnder255CharactersButOver255BytesIsRefusedNamingTheLimitNotWithTheServersPath() {
        String name = "é".repeat(200) + ".pdf";

        HttpResponse<String> refused = admin.upload("/documents/new", newDocument("Accents"), name, randomBytes(10));

        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("at most 255 bytes; this one has 404"), refused.body());
        assertFalse(refused.body().contains(root.toString()), "the server's path reached the page");
        assertEquals(0, documentCount());
    }

    @Test
    void aNewRevisionIsAddedAndEachRevisionKeepsItsOwnFile() {
        String page = admin.follow(admin.upload("/documents/new", newDocument("Spec"), "spec-a.txt",
                "first".getBytes(StandardCharsets.UTF_8))).body();
        String docPath = "/documents/" + WebClient.find(page, "action=\"/documents/(\\d+)/revisions\"");

        String after = admin.follow(admin.upload(docPath + "/revisions", Map.of("code", "B"), "spec-b.txt",
                "second".getBytes(StandardCharsets.UTF_8))).body();

        assertEquals("second", new String(admin.download(WebClient.find(after,
                "href=\"(/revisions/\\d+/download)\" id=\"download-B\"")).body(), StandardCharsets.UTF_8));
        assertEquals("first", new String(admin.download(WebClient.find(after,
                "href=\"(/revisions/\\d+/download)\" id=\"download-A\"")).body(), StandardCharsets.UTF_8));
    }

    @Test
    void anUploadOverTheLimitIsRefusedWithTheLimitAndCreatesNothing() throws Exception {
        HttpResponse<String> response = admin.upload("/documents/new", newDocument("Too big"), "big.bin",
                randomBytes((int) UPLOAD_LIMIT + 10_000));

        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("64.0 KB"), response.body());
        assertEquals(0, documentCount());
        try (Stream<Path> files = Files.walk(host.dataDir.resolve("files"))) {
            assertEquals(0, files.filter(Files::isRegularFile).count(), "a file was stored");
        }
    }

    @Test
    void aMissingTitleIsExplainedAndWhatWasTypedIsKept() {
        Map<String, String> form = new java.util.HashMap<>(newDocument(" "));
        form.put("number", "DWG-777");

        HttpResponse<String> response = admin.upload("/documents/new", form, "a.txt", new byte[]{1});

        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("A title has 1 to 200 characters."), response.body());
        assertTrue(response.body().contains("value=\"DWG-777\""), "the number typed was lost");
        assertEquals(0, documentCount());
    }

    @Test
    void anOverlongTitleIsRefused() {
        HttpResponse<String> response = admin.upload("/documents/new", newDocument("x".repeat(201)), "a.txt", new byte[]{1});

        assertEquals(400, response.statusCode());
        assertEquals(0, documentCount());
    }

    @Test
    void aFileNameWithMarkupIsShownEscapedAndNeverServedAsAPage() {
        String hostile = "<img src=x onerror=alert(1)>.html";

        String page = admin.follow(admin.upload("/documents/new", newDocument("<b>bold</b> title"), hostile,
                "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8))).body();

        assertFalse(page.contains("<img src=x"), "markup in a file name reached the page unescaped");
        assertFalse(page.contains("<b>bold</b>"), "markup in a title reached the page unescaped");
        assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;.html"));
        HttpResponse<byte[]> download = admin.download(WebClient.find(page, "href=\"(/revisions/\\d+/download)\""));
        assertEquals("application/octet-stream", download.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("nosniff", download.headers().firstValue("X-Content-Type-Options").orElseThrow());
    }

    @Test
    void aFormWithoutItsCsrfTokenChangesNothing() {
        HttpResponse<String> response = admin.postRaw("/projects", Map.of("code", "EVIL", "name", "Forged"));

        assertEquals(403, response.statusCode());
        assertFalse(admin.get("/documents").body().contains("EVIL"));
    }

    @Test
    void aTakenDocumentNumberIsRefused() {
        Map<String, String> form = new java.util.HashMap<>(newDocument("One"));
        form.put("number", "DWG-1");
        admin.follow(admin.upload("/documents/new", form, "a.txt", new byte[]{1}));

        HttpResponse<String> again = admin.upload("/documents/new", form, "b.txt", new byte[]{2});

        assertEquals(400, again.statusCode());
        assertTrue(again.body().contains("The number DWG-1 is already used in PRJ-1."));
    }

    @Test
    void signedOutVisitorsAreSentToSignInAndBackAfterwards() {
        WebClient visitor = host.client();

        HttpResponse<String> response = visitor.get("/documents/1");

        assertEquals(303, response.statusCode());
        assertEquals("/login?next=%2Fdocuments%2F1", java.net.URI.create(response.headers().firstValue("Location")
                .orElseThrow()).getRawPath() + "?" + java.net.URI.create(response.headers().firstValue("Location")
                .orElseThrow()).getRawQuery());
    }

    @Test
    void aWrongPasswordIsRefusedWithoutSayingWhichPartWasWrong() {
        WebClient visitor = host.client();
        visitor.get("/login");

        HttpResponse<String> response = visitor.post("/login", Map.of("username", "admin", "password", "wrong",
                "next", "/documents"));

        assertEquals(401, response.statusCode());
        assertTrue(response.body().contains("The username or password is not right."));
    }

    @Test
    void signInRotatesTheSessionAndItsCookieIsHttpOnlyAndSameSite() {
        WebClient visitor = host.client();
        HttpResponse<String> form = visitor.get("/login");
        String before = form.headers().firstValue("Set-Cookie").orElseThrow();

        HttpResponse<String> response = visitor.post("/login", Map.of("username", "admin",
                "password", TestHost.ADMIN_PASSWORD, "next", "/documents"));

        String after = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(after.contains("HttpOnly"), after);
        assertTrue(after.contains("SameSite=Lax"), after);
        assertFalse(after.split(";")[0].equals(before.split(";")[0]), "the session id did not change at sign-in");
    }

    @Test
    void signInDoesNotFollowANextLinkToAnotherSite() {
        WebClient visitor = host.client();
        visitor.get("/login");

        HttpResponse<String> response = visitor.post("/login", Map.of("username", "admin",
                "password", TestHost.ADMIN_PASSWORD, "next", "//evil.example/steal"));

        assertTrue(response.headers().firstValue("Location").orElseThrow().endsWith("/documents"));
    }

    @Test
    void aUserWhoIsNotAnAdministratorCannotOpenSettings() {
        admin.get("/admin/users");
        assertEquals(303, admin.post("/admin/users", Map.of("username", "ursula", "displayName", "Ursula",
                "password", "a long enough password", "role", "USER")).statusCode());
        WebClient user = host.client();
        user.login("ursula", "a long enough password");

        assertEquals(403, user.get("/settings/storage").statusCode());
        assertEquals(403, user.get("/admin/plugins").statusCode());
        assertEquals(200, user.get("/documents").statusCode());
    }

    @Test
    void theDocumentsListComesInPagesOfFiftyNewestFirst() {
        for (int i = 1; i <= 55; i++) {
            assertEquals(303, admin.upload("/documents/new", newDocument("Drawing " + i), "d.txt", new byte[]{1})
                    .statusCode());
        }

        String first = admin.get("/documents").body();
        String older = admin.get(WebClient.find(first, "id=\"older-page\" href=\"([^\"]+)\"").replace("&amp;", "&"))
                .body();

        assertEquals(50, first.split("<td><a href=\"/documents/").length - 1);
        assertTrue(first.indexOf("Drawing 55") < first.indexOf("Drawing 54"), "newest first");
        assertFalse(first.contains(">Drawing 5<"));
        assertEquals(5, older.split("<td><a href=\"/documents/").length - 1);
        assertTrue(older.contains("Drawing 5<") && older.contains("Drawing 1<"), older);
        assertFalse(older.contains("id=\"older-page\""));
        assertTrue(older.contains("id=\"newest-page\""));
    }
}
