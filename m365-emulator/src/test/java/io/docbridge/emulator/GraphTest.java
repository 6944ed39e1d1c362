package io.docbridge.emulator;

import com.microsoft.graph.core.models.UploadResult;
import com.microsoft.graph.core.tasks.LargeFileUploadTask;
import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.graph.drives.item.items.item.createuploadsession.CreateUploadSessionPostRequestBody;
import com.microsoft.graph.drives.item.items.item.delta.DeltaGetResponse;
import com.microsoft.graph.models.DriveItem;
import com.microsoft.graph.models.DriveItemCollectionResponse;
import com.microsoft.graph.models.DriveItemUploadableProperties;
import com.microsoft.graph.models.Folder;
import com.microsoft.graph.models.ItemReference;
import com.microsoft.graph.models.UploadSession;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.docbridge.emulator.graph.QuickXorHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graph drives and sites through the Microsoft Graph Java SDK v6: its request builders, its deserialisers, its
 * page iterator and its large-file upload task, with tokens from the emulator's own sign-in. Each test works in a
 * folder of its own, so they share one emulator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphTest {
    Contoso contoso;
    GraphServiceClient adele;
    String drive;

    @BeforeAll
    void start() throws Exception {
        contoso = new Contoso();
        adele = contoso.graph(contoso.adeleToken());
        drive = contoso.documents.id();
    }

    @AfterAll
    void stop() {
        contoso.close();
    }

    DriveItem newFolder(String parentId, String name, String conflict) {
        DriveItem folder = new DriveItem();
        folder.setName(name);
        folder.setFolder(new Folder());
        folder.getAdditionalData().put("@microsoft.graph.conflictBehavior", conflict);
        return adele.drives().byDriveId(drive).items().byDriveItemId(parentId).children().post(folder);
    }

    DriveItem ownFolder() {
        return newFolder("root", "t-" + UUID.randomUUID().toString().substring(0, 8), "fail");
    }

    DriveItem put(String path, byte[] bytes) {
        return adele.drives().byDriveId(drive).items().byDriveItemId("root:/" + path + ":").content()
                .put(new ByteArrayInputStream(bytes));
    }

    static String quickXor(byte[] bytes) {
        QuickXorHash hash = new QuickXorHash();
        hash.update(bytes, 0, bytes.length);
        return hash.digest();
    }

    static ODataError odata(Runnable call) {
        return assertThrows(ODataError.class, call::run);
    }

    static String innerCode(ODataError e) {
        return (String) e.getError().getInnerError().getAdditionalData().get("code");
    }

    @Test
    void meAndMyDriveAreAdelesOwn() {
        assertEquals("Adele Vance", adele.me().get().getDisplayName());
        var mine = adele.me().drive().get();
        assertEquals(contoso.adeleDrive.id(), mine.getId());
        assertEquals("business", mine.getDriveType());
        assertEquals(Contoso.QUOTA, mine.getQuota().getTotal());
    }

    @Test
    void sitesAreFoundBySearchAndByPathAndListTheirLibraries() {
        var found = adele.sites().get(rc -> rc.queryParameters.search = "Project").getValue();
        assertEquals(List.of("Project Document Control"), found.stream().map(s -> s.getDisplayName()).toList());

        var byPath = adele.sites().bySiteId("contoso.sharepoint.com:/sites/pdc:").get();
        assertEquals(contoso.pdc.id(), byPath.getId());

        var libraries = adele.sites().bySiteId(contoso.pdc.id()).drives().get().getValue();
        assertEquals(List.of("Documents", "Drawings"), libraries.stream().map(d -> d.getName()).toList());
        assertTrue(libraries.stream().allMatch(d -> d.getDriveType().equals("documentLibrary")));
    }

    @Test
    void aFileUploadedByPathDownloadsTheSameBytesWithTheRightHash() throws Exception {
        DriveItem folder = ownFolder();
        byte[] bytes = "minutes of the kick-off meeting".getBytes(StandardCharsets.UTF_8);

        DriveItem file = put(folder.getName() + "/minutes.txt", bytes);

        assertEquals(bytes.length, file.getSize());
        assertEquals(quickXor(bytes), file.getFile().getHashes().getQuickXorHash());
        assertEquals(folder.getId(), file.getParentReference().getId());
        assertEquals("/drives/" + drive + "/root:/" + folder.getName(), file.getParentReference().getPath());
        try (InputStream in = adele.drives().byDriveId(drive).items().byDriveItemId(file.getId()).content().get()) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
    }

    @Test
    void namesClashCaseInsensitivelyAndTheConflictBehaviourDecides() {
        DriveItem folder = ownFolder();
        newFolder(folder.getId(), "Drawings", "fail");

        ODataError clash = odata(() -> newFolder(folder.getId(), "drawings", "fail"));
        DriveItem renamed = newFolder(folder.getId(), "Drawings", "rename");

        assertEquals(409, clash.getResponseStatusCode());
        assertEquals("nameAlreadyExists", clash.getError().getCode());
        assertEquals("Drawings 1", renamed.getName());
    }

    @Test
    void childrenArePagedAndThePageIteratorFollowsTheLinks() throws Exception {
        DriveItem folder = ownFolder();
        for (int i = 0; i < 25; i++) {
            put(folder.getName() + "/f" + i + ".txt", new byte[]{(byte) i});
        }
        DriveItemCollectionResponse first = adele.drives().byDriveId(drive).items().byDriveItemId(folder.getId())
                .children().get(rc -> rc.queryParameters.top = 10);
        List<String> names = new ArrayList<>();

        new PageIterator.Builder<DriveItem, DriveItemCollectionResponse>().client(adele).collectionPage(first)
                .collectionPageFactory(DriveItemCollectionResponse::createFromDiscriminatorValue)
                .processPageItemCallback(item -> names.add(item.getName())).build().iterate();

        assertEquals(10, first.getValue().size());
        assertEquals(25, names.size());
        assertEquals(25, names.stream().distinct().count());
    }

    @Test
    void renameAndMoveKeepTheIdAndAStaleETagIsRefused() {
        DriveItem folder = ownFolder();
        DriveItem target = newFolder(folder.getId(), "Archive", "fail");
        DriveItem file = put(folder.getName() + "/draft.txt", new byte[]{1, 2, 3});
        DriveItem change = new DriveItem();
        change.setName("final.txt");
        ItemReference parent = new ItemReference();
        parent.setId(target.getId());
        change.setParentReference(parent);

        DriveItem moved = adele.drives().byDriveId(drive).items().byDriveItemId(file.getId())
                .patch(change, rc -> rc.headers.add("If-Match", file.getETag()));
        ODataError stale = odata(() -> adele.drives().byDriveId(drive).items().byDriveItemId(file.getId())
                .patch(change, rc -> rc.headers.add("If-Match", file.getETag())));

        assertEquals(file.getId(), moved.getId());
        assertEquals("final.txt", moved.getName());
        assertEquals(target.getId(), moved.getParentReference().getId());
        assertNotEquals(file.getETag(), moved.getETag());
        assertEquals(file.getCTag(), moved.getCTag(), "a rename changed the content tag");
        assertEquals(412, stale.getResponseStatusCode());
    }

    @Test
    void aDeletedItemIsNotFound() {
        DriveItem folder = ownFolder();
        DriveItem file = put(folder.getName() + "/doomed.txt", new byte[]{9});

        adele.drives().byDriveId(drive).items().byDriveItemId(file.getId()).delete();
        ODataError gone = odata(() -> adele.drives().byDriveId(drive).items().byDriveItemId(file.getId()).get());

        assertEquals(404, gone.getResponseStatusCode());
        assertEquals("itemNotFound", gone.getError().getCode());
    }

    @Test
    void invalidNamesAndOverlongPathsAreRefusedWithTheirInnerCodes() {
        DriveItem folder = ownFolder();

        ODataError bad = odata(() -> newFolder(folder.getId(), "what?", "fail"));
        ODataError reserved = odata(() -> newFolder(folder.getId(), "CON", "fail"));
        ODataError trailingDot = odata(() -> newFolder(folder.getId(), "folder.", "fail"));
        ODataError longPath = odata(() -> put(folder.getName() + "/" + "x".repeat(390) + ".txt", new byte[]{1}));

        assertEquals("nameContainsInvalidCharacters", innerCode(bad));
        assertEquals(400, reserved.getResponseStatusCode());
        assertEquals(400, trailingDot.getResponseStatusCode());
        assertEquals("pathIsTooLong", innerCode(longPath));
    }

    @Test
    void theLargeFileUploadTaskUploadsInSlicesAndTheHashMatches() throws Exception {
        DriveItem folder = ownFolder();
        byte[] bytes = new byte[3 * 1024 * 1024 + 12345];
        new Random(7).nextBytes(bytes);
        CreateUploadSessionPostRequestBody body = new CreateUploadSessionPostRequestBody();
        DriveItemUploadableProperties props = new DriveItemUploadableProperties();
        props.getAdditionalData().put("@microsoft.graph.conflictBehavior", "fail");
        body.setItem(props);
        UploadSession session = adele.drives().byDriveId(drive).items()
                .byDriveItemId("root:/" + folder.getName() + "/big.bin:").createUploadSession().post(body);

        LargeFileUploadTask<DriveItem> task = new LargeFileUploadTask<>(adele.getRequestAdapter(), session,
                new ByteArrayInputStream(bytes), bytes.length, 320 * 1024 * 4, DriveItem::createFromDiscriminatorValue);
        UploadResult<DriveItem> result = task.upload();

        assertTrue(result.isUploadSuccessful());
        assertEquals(bytes.length, result.itemResponse.getSize());
        assertEquals(quickXor(bytes), result.itemResponse.getFile().getHashes().getQuickXorHash());
        try (InputStream in = adele.drives().byDriveId(drive).items().byDriveItemId(result.itemResponse.getId())
                .content().get()) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
    }

    @Test
    void uploadSessionChunksOutOfPlaceAreRefusedAndTheSessionReportsWhatItExpects() throws Exception {
        DriveItem folder = ownFolder();
        UploadSession session = adele.drives().byDriveId(drive).items()
                .byDriveItemId("root:/" + folder.getName() + "/chunks.bin:").createUploadSession()
                .post(new CreateUploadSessionPostRequestBody());
        HttpClient http = HttpClient.newBuilder().sslContext(contoso.emulator.clientSslContext()).build();
        byte[] chunk = new byte[320 * 1024];

        HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(session.getUploadUrl()))
                .header("Content-Range", "bytes 0-" + (chunk.length - 1) + "/" + (chunk.length * 2))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> overlap = http.send(HttpRequest.newBuilder(URI.create(session.getUploadUrl()))
                .header("Content-Range", "bytes 0-" + (chunk.length - 1) + "/" + (chunk.length * 2))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(session.getUploadUrl())).GET()
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(202, first.statusCode());
        assertTrue(first.body().contains("\"nextExpectedRanges\":[\"327680-\"]"), first.body());
        assertEquals(416, overlap.statusCode());
        assertTrue(overlap.body().contains("fragmentOverlap"));
        assertTrue(status.body().contains("327680-"));
    }

    @Test
    void downloadUrlsHonourRange() throws Exception {
        DriveItem folder = ownFolder();
        byte[] bytes = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        DriveItem file = put(folder.getName() + "/range.txt", bytes);
        String url = (String) file.getAdditionalData().get("@microsoft.graph.downloadUrl");
        HttpClient http = HttpClient.newBuilder().sslContext(contoso.emulator.clientSslContext()).build();

        HttpResponse<String> part = http.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=4-7")
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(206, part.statusCode());
        assertEquals("4567", part.body());
        assertEquals("bytes 4-7/16", part.headers().firstValue("Content-Range").orElseThrow());
    }

    @Test
    void deltaEnumeratesThenListsOnlyChangesByIdAndDeletionsAsDeleted() throws Exception {
        var site = contoso.emulator.drives().addSite("contoso.sharepoint.com", "/sites/delta-" + UUID.randomUUID(),
                "Delta", java.util.Set.of(contoso.adele.id()));
        var library = contoso.emulator.drives().addLibrary(site, "Documents", Contoso.QUOTA);
        GraphServiceClient client = adele;
        String d = library.id();
        DriveItem folder = client.drives().byDriveId(d).items().byDriveItemId("root").children().post(folderNamed("A"));
        List<DriveItem> files = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            files.add(client.drives().byDriveId(d).items().byDriveItemId("root:/A/f" + i + ".txt:").content()
                    .put(new ByteArrayInputStream(new byte[]{(byte) i})));
        }

        Map<String, DriveItem> seen = new HashMap<>();
        DeltaGetResponse firstPage = client.drives().byDriveId(d).items().byDriveItemId("root").delta()
                .get(rc -> rc.queryParameters.top = 3);
        PageIterator<DriveItem, DeltaGetResponse> pages = new PageIterator.Builder<DriveItem, DeltaGetResponse>()
                .client(client).collectionPage(firstPage)
                .collectionPageFactory(DeltaGetResponse::createFromDiscriminatorValue)
                .processPageItemCallback(item -> {
                    seen.put(item.getId(), item);
                    return true;
                }).build();
        pages.iterate();
        String deltaLink = pages.getDeltaLink();

        assertNotNull(deltaLink);
        assertTrue(deltaLink.contains("?token="), deltaLink);
        assertEquals(9, seen.size(), "root, A and seven files");
        assertNotNull(seen.get(folder.getId()));

        DriveItem rename = new DriveItem();
        rename.setName("renamed.txt");
        client.drives().byDriveId(d).items().byDriveItemId(files.get(0).getId()).patch(rename);
        client.drives().byDriveId(d).items().byDriveItemId(files.get(1).getId()).delete();
        // The deltaLink keeps $top=3, so the changes come in pages too: follow them all.
        DeltaGetResponse firstChanges = client.drives().byDriveId(d).items().byDriveItemId("root").delta()
                .withUrl(deltaLink).get();
        Map<String, DriveItem> changed = new HashMap<>();
        PageIterator<DriveItem, DeltaGetResponse> changePages = new PageIterator.Builder<DriveItem, DeltaGetResponse>()
                .client(client).collectionPage(firstChanges)
                .collectionPageFactory(DeltaGetResponse::createFromDiscriminatorValue)
                .processPageItemCallback(item -> {
                    changed.put(item.getId(), item);
                    return true;
                }).build();
        changePages.iterate();
        String nextDeltaLink = changePages.getDeltaLink();
        assertEquals("renamed.txt", changed.get(files.get(0).getId()).getName());
        assertNotNull(changed.get(files.get(1).getId()).getDeleted());
        assertNull(changed.get(files.get(2).getId()), "an unchanged file was listed");
        assertNotNull(changed.get(folder.getId()), "the parent of a changed item comes with it");
        assertNotNull(nextDeltaLink);
        assertTrue(nextDeltaLink.contains("%24top=3") || nextDeltaLink.contains("$top=3"), nextDeltaLink);

        contoso.emulator.drives().invalidateDeltaTokens(d);
        ODataError resync = odata(() -> client.drives().byDriveId(d).items().byDriveItemId("root").delta()
                .withUrl(nextDeltaLink).get());
        assertEquals(410, resync.getResponseStatusCode());
        assertEquals("resyncRequired", resync.getError().getCode());
    }

    static DriveItem folderNamed(String name) {
        DriveItem folder = new DriveItem();
        folder.setName(name);
        folder.setFolder(new Folder());
        return folder;
    }

    @Test
    void anExpiredTokenGets401InvalidAuthenticationToken() throws Exception {
        GraphServiceClient client = contoso.graph(contoso.adeleToken());
        contoso.emulator.clock().advance(java.time.Duration.ofHours(2));
        try {
            ODataError e = odata(() -> client.me().get());

            assertEquals(401, e.getResponseStatusCode());
            assertEquals("InvalidAuthenticationToken", e.getError().getCode());
        } finally {
            contoso.emulator.clock().advance(java.time.Duration.ofHours(-2));
        }
    }

    @Test
    void aReadOnlyTokenCannotWriteAndAUserCannotOpenASiteTheyDoNotBelongTo() throws Exception {
        GraphServiceClient reader = contoso.graph(contoso.userToken("adelev@contoso.onmicrosoft.com", "adele-password",
                "https://graph.microsoft.com/Files.Read.All"));
        GraphServiceClient nestor = contoso.graph(contoso.userToken("nestorw@contoso.onmicrosoft.com",
                "nestor-password", "https://graph.microsoft.com/Sites.ReadWrite.All"));

        ODataError write = odata(() -> reader.drives().byDriveId(drive).items().byDriveItemId("root").children()
                .post(folderNamed("nope")));
        ODataError foreign = odata(() -> nestor.drives().byDriveId(drive).get());

        assertEquals(403, write.getResponseStatusCode());
        assertEquals(403, foreign.getResponseStatusCode());
        assertEquals("accessDenied", foreign.getError().getCode());
        assertTrue(nestor.sites().get(rc -> rc.queryParameters.search = "Project").getValue().isEmpty());
    }

    @Test
    void throttlingAnswers429WithRetryAfterAndTheSdkRetries() {
        DriveItem folder = ownFolder();
        contoso.emulator.faults().clearLog();
        contoso.emulator.faults().throttleNext(2, folder.getId() + "/children", 429, 1);

        var children = adele.drives().byDriveId(drive).items().byDriveItemId(folder.getId()).children().get();

        assertTrue(children.getValue().isEmpty());
        assertEquals(3, contoso.emulator.faults().count(r -> r.path().endsWith(folder.getId() + "/children")));
    }

    @Test
    void appOnlyTokensWithSitesReadWriteAllReachEveryLibraryButNotMe() throws Exception {
        contoso.emulator.directory().grantAppRole(contoso.tenant, contoso.app, "Sites.ReadWrite.All");
        GraphServiceClient app = contoso.graph(contoso.appToken());

        assertEquals("Drawings", app.drives().byDriveId(contoso.drawings.id()).get().getName());
        ODataError me = odata(() -> app.me().get());
        assertEquals(400, me.getResponseStatusCode());
    }
}
