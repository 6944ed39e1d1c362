package io.docbridge.host;

import io.docbridge.host.testing.OneDriveConnect;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a person waits for when the tables are large: N revision rows (N / 10 documents of 10 revisions, written
 * straight into the database, H2 in the data folder), and a synced folder of 50,000 items in the file index. Then
 * times, through HTTP as a browser asks: uploading a new revision and downloading it, the first and a deep page of
 * the documents list, and the first and the last page of the big folder (sorted by name, and by size descending).
 * Prints p50 and p95 of 30 requests each.
 *
 * <pre>mvn -q install -DskipTests && mvn -q -pl demo-host test-compile exec:exec@scale-benchmark -Dbenchmark.revisions=1000000</pre>
 *
 * Not a test: it measures and prints.
 */
public final class ScaleBenchmark {
    static final int FOLDER_ITEMS = 50_000;
    static final int REQUESTS = 30;

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int revisions = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path root = Files.createTempDirectory("docbridge-scale-bench");
        try (TestHost host = TestHost.withMicrosoftPlugins(root, "onedrive-plugin.zip")) {
            WebClient admin = host.admin();
            admin.post("/projects", Map.of("code", "PRJ-1", "name", "Harbour bridge"));
            Jdbi db = host.host().jdbi();
            long started = System.nanoTime();
            fillRevisions(db, revisions);
            System.out.printf("%,d revisions of %,d documents written in %.1f s%n", revisions, revisions / 10,
                    (System.nanoTime() - started) / 1e9);

            admin.get("/documents/new");
            String doc = WebClient.find(admin.upload("/documents/new", Map.of("project", "1", "number", "", "title",
                            "Measured", "type", "Drawing", "status", "Draft", "code", "A"), "a.txt", new byte[1024])
                    .headers().firstValue("Location").orElseThrow(), "(/documents/\\d+)");
            List<String> downloads = new ArrayList<>();
            int[] code = {0};
            List<Long> upload = time(() -> {
                HttpResponse<String> r = admin.upload(doc + "/revisions", Map.of("code", "R" + ++code[0]), "r.txt",
                        new byte[1024]);
                downloads.add(WebClient.find(admin.follow(r).body(), "href=\"(/revisions/\\d+/download)\""));
                return r.statusCode();
            });
            int[] next = {0};
            List<Long> download = time(() -> admin.download(downloads.get(next[0]++ % downloads.size())).statusCode());
            List<Long> firstDocuments = time(() -> admin.get("/documents").statusCode());
            long deep = 10_000_000L + revisions / 20; // half way down the documents written above
            List<Long> deepDocuments = time(() -> admin.get("/documents?before=" + deep).statusCode());

            String drive = OneDriveConnect.add(admin, host.host().emulator().orElseThrow(), "adele").driveId();
            admin.afterSync("/files/" + drive, "Welcome.txt");
            fillFolder(db, drive);
            String folder = "/files/" + drive + "/folders/bench-folder";
            List<Long> firstPage = time(() -> admin.get(folder).statusCode());
            List<Long> lastPage = time(() -> admin.get(folder + "?sort=size&dir=desc&page=" + (FOLDER_ITEMS / 200))
                    .statusCode());

            System.out.printf("%nScale: %,d revisions in the table, a folder of %,d items (H2), %d requests each%n",
                    revisions, FOLDER_ITEMS, REQUESTS);
            System.out.println("| request | p50 | p95 |");
            System.out.println("|---|---|---|");
            row("upload a revision (1 KiB, local disk)", upload);
            row("download it", download);
            row("documents list, first page", firstDocuments);
            row("documents list, a page half way down", deepDocuments);
            row("folder of 50,000, first page by name", firstPage);
            row("folder of 50,000, last page by size descending", lastPage);
        }
        System.exit(0);
    }

    private static List<Long> time(Supplier<Integer> request) {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            long t = System.nanoTime();
            int status = request.get();
            micros.add((System.nanoTime() - t) / 1000);
            if (status >= 400) {
                throw new IllegalStateException("a request answered " + status);
            }
        }
        return micros;
    }

    private static void row(String what, List<Long> micros) {
        List<Long> sorted = micros.stream().sorted().toList();
        System.out.printf("| %s | %.1f ms | %.1f ms |%n", what, sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1) / 1000.0);
    }

    /** Documents and revisions written in batches, with ids far above those the host hands out. */
    private static void fillRevisions(Jdbi db, int revisions) {
        long admin = db.withHandle(h -> h.createQuery("SELECT id FROM users WHERE username = 'admin'")
                .mapTo(Long.class).one());
        String provider = db.withHandle(h -> h.createQuery("SELECT id FROM storage_providers WHERE is_default")
                .mapTo(String.class).one());
        long project = db.withHandle(h -> h.createQuery("SELECT id FROM projects").mapTo(Long.class).one());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int documents = revisions / 10;
        for (int from = 0; from < documents; from += 10_000) {
            int start = from;
            db.useTransaction(h -> {
                PreparedBatch docs = h.prepareBatch("INSERT INTO documents (id, project_id, number, title, doc_type, "
                        + "status, created_by, created_at) VALUES (:id, :p, :n, :t, 'Drawing', 'Draft', :u, :now)");
                PreparedBatch revs = h.prepareBatch("INSERT INTO revisions (id, document_id, code, file_name, "
                        + "content_type, size_bytes, sha256, provider_id, storage_key, location, created_by, created_at) "
                        + "VALUES (:id, :d, :c, 'f.pdf', 'application/pdf', 1024, :sha, :pr, :k, '', :u, :now)");
                for (int i = start; i < Math.min(documents, start + 10_000); i++) {
                    long id = 10_000_000L + i;
                    docs.bind("id", id).bind("p", project).bind("n", "B-" + i).bind("t", "Bulk " + i)
                            .bind("u", admin).bind("now", now).add();
                    for (int r = 0; r < 10; r++) {
                        revs.bind("id", 10_000_000L * 10 + (long) i * 10 + r).bind("d", id).bind("c", "R" + r)
                                .bind("sha", "0".repeat(64)).bind("pr", provider).bind("k", "bulk/" + i + "/" + r)
                                .bind("u", admin).bind("now", now).add();
                    }
                }
                docs.execute();
                revs.execute();
            });
        }
        db.useHandle(h -> h.createUpdate("UPDATE storage_providers SET revision_count = revision_count + :n "
                + "WHERE id = :p").bind("n", revisions).bind("p", provider).execute());
    }

    /** A folder under the drive's root with 50,000 files of different sizes, written into the index. */
    private static void fillFolder(Jdbi db, String drive) {
        String rootId = db.withHandle(h -> h.createQuery("SELECT root_id FROM external_drives WHERE id = :d")
                .bind("d", drive).mapTo(String.class).one());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        db.useTransaction(h -> {
            PreparedBatch items = h.prepareBatch("INSERT INTO drive_items (drive_id, item_id, parent_id, name, "
                    + "is_folder, size_bytes, created, modified, modified_by, version, web_url, unseen) VALUES "
                    + "(:d, :i, :p, :n, :f, :s, :now, :now, '', 'v1', '', FALSE)");
            items.bind("d", drive).bind("i", "bench-folder").bind("p", rootId).bind("n", "Bench").bind("f", true)
                    .bind("s", 0L).bind("now", now).add();
            for (int i = 0; i < FOLDER_ITEMS; i++) {
                items.bind("d", drive).bind("i", "bench-" + i).bind("p", "bench-folder")
                        .bind("n", String.format("file-%05d.txt", i)).bind("f", false).bind("s", (long) (i * 7919 % 100_003))
                        .bind("now", now).add();
            }
            items.execute();
        });
    }
}
