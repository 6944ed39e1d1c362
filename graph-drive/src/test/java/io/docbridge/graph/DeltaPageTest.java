package io.docbridge.graph;

import com.microsoft.graph.drives.item.items.item.delta.DeltaGetResponse;
import io.docbridge.api.DriveChange;
import io.docbridge.tck.InMemorySecretStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming change-feed reader gives exactly what the Graph SDK's model gave, and skips what it does not use. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeltaPageTest {
    Tenant t;
    DriveClient drives;
    String token;

    @BeforeAll
    void start() throws Exception {
        t = new Tenant();
        MicrosoftSignIn signIn = t.signIn(new InMemorySecretStore());
        var scopes = MicrosoftSignIn.filesAndSites(t.connection.cloud());
        token = signIn.accessToken(scopes);
        drives = DriveClient.connect(t.connection, () -> token);
    }

    @AfterAll
    void stop() {
        t.close();
    }

    /**
     * Every page of the emulator's feed (files with and without their own times, folders, then a deletion), read both
     * ways from the same bytes: the SDK's model mapped as the drive used to, and {@link DeltaPage}.
     */
    @Test
    void readsTheSameChangesAsTheSdkModelFromTheSameAnswer() throws Exception {
        String drive = t.documents.id();
        String folder = drives.ensureFolders(drive, List.of("delta-page", "inner")).getId();
        byte[] bytes = "content".getBytes(StandardCharsets.UTF_8);
        drives.upload(drive, folder, "with time.txt", new ByteArrayInputStream(bytes), bytes.length, "fail",
                Instant.parse("2021-03-04T05:06:07Z"));
        var plain = drives.upload(drive, folder, "plain.txt", new ByteArrayInputStream(bytes), bytes.length, "fail")
                .item();

        String link = t.connection.cloud().graph() + "/drives/" + drive + "/root/delta?$top=2";
        List<DriveChange> streamed = new ArrayList<>();
        List<DriveChange> modelled = new ArrayList<>();
        String deltaLink = readAll(link, streamed, modelled);
        assertTrue(streamed.size() >= 4, streamed.toString());
        assertEquals(modelled, streamed);
        assertTrue(streamed.stream().anyMatch(c -> c.item() != null && c.item().modified()
                .equals(Instant.parse("2021-03-04T05:06:07Z"))), "a file's own time is its modified time");

        drives.delete(drive, plain.getId());
        streamed.clear();
        modelled.clear();
        readAll(deltaLink, streamed, modelled);
        assertEquals(modelled, streamed);
        assertTrue(streamed.contains(DriveChange.deleted(plain.getId())), streamed.toString());
    }

    private String readAll(String link, List<DriveChange> streamed, List<DriveChange> modelled) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(t.emulator.clientSslContext()).build();
        while (true) {
            byte[] page = http.send(HttpRequest.newBuilder(URI.create(link)).header("Authorization", "Bearer "
                    + token).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
            DeltaPage read = DeltaPage.read(new ByteArrayInputStream(page));
            streamed.addAll(read.changes());
            DeltaGetResponse model = DriveClient.parse(page, DeltaGetResponse::createFromDiscriminatorValue);
            for (var item : model.getValue()) {
                if (item.getRoot() == null) {
                    modelled.add(item.getDeleted() != null ? DriveChange.deleted(item.getId())
                            : DriveChange.upserted(GraphExternalDrive.map(item)));
                }
            }
            assertEquals(model.getOdataNextLink(), read.nextLink());
            assertEquals(model.getOdataDeltaLink(), read.deltaLink());
            if (read.nextLink() == null) {
                return read.deltaLink();
            }
            link = read.nextLink();
        }
    }

    @Test
    void skipsWhatItDoesNotUseAndLeavesOutTheRoot() throws Exception {
        String page = """
                {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(driveItem)",
                 "value": [
                   {"id": "root-id", "root": {}, "folder": {"childCount": 1}, "name": "root"},
                   {"id": "a", "name": "A.docx", "size": 12, "eTag": "\\"{A},2\\"",
                    "parentReference": {"driveId": "d", "id": "root-id", "path": "/drive/root:"},
                    "file": {"mimeType": "x", "hashes": {"quickXorHash": "q"}},
                    "thumbnails": [{"large": {"url": "u"}}, []],
                    "createdDateTime": "2020-01-01T00:00:00Z", "lastModifiedDateTime": "2020-01-02T00:00:00Z",
                    "lastModifiedBy": {"application": {"displayName": "App"}, "user": {"displayName": "Megan",
                      "id": "u1"}},
                    "fileSystemInfo": {"lastModifiedDateTime": "2019-05-06T07:08:09Z"},
                    "webUrl": "https://contoso.sharepoint.com/A.docx"},
                   {"id": "gone", "deleted": {"state": "deleted"}, "parentReference": {"id": "root-id"}}
                 ],
                 "@odata.deltaLink": "https://graph.microsoft.com/v1.0/drives/d/root/delta?token=t"}
                """;
        DeltaPage read = DeltaPage.read(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));

        assertEquals(2, read.changes().size());
        var a = read.changes().get(0).item();
        assertEquals(new io.docbridge.api.DriveItem("a", "root-id", "A.docx", false, 12,
                Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2019-05-06T07:08:09Z"), "Megan",
                "\"{A},2\"", "https://contoso.sharepoint.com/A.docx"), a);
        assertEquals(DriveChange.deleted("gone"), read.changes().get(1));
        assertNull(read.nextLink());
        assertEquals("https://graph.microsoft.com/v1.0/drives/d/root/delta?token=t", read.deltaLink());
    }

    @Test
    void readsGraphTimesAsTheIsoParserDoes() {
        for (String time : List.of("2024-05-06T07:08:09Z", "2024-05-06T07:08:09.1Z", "2024-02-29T23:59:59.123456789Z",
                "1969-12-31T23:59:59.5Z", "2024-05-06T07:08:09+02:00", "2024-05-06T07:08:09.120-01:30", "2024-05-06T07:08:09.Z")) {
            assertEquals(java.time.OffsetDateTime.parse(time).toInstant(), DeltaPage.utc(time), time);
        }
        for (String bad : List.of("2023-02-29T00:00:00Z", "2024-05-06T24:00:00Z",
                "2024-0a-06T07:08:09Z")) {
            assertThrows(java.time.DateTimeException.class, () -> DeltaPage.utc(bad), bad);
        }
    }

    @Test
    void aPageWithoutALinkOrAnItemWithoutAnIdIsRefused() {
        assertThrows(IOException.class, () -> DeltaPage.read(new ByteArrayInputStream("{\"value\": []}".getBytes(
                StandardCharsets.UTF_8))));
        assertThrows(IOException.class, () -> DeltaPage.read(new ByteArrayInputStream(
                "{\"value\": [{\"name\": \"x\"}], \"@odata.deltaLink\": \"l\"}".getBytes(StandardCharsets.UTF_8))));
    }
}
