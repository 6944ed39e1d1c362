package io.docbridge.host.documents;

import io.docbridge.api.ObjectPath;
import io.docbridge.api.PluginException;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StoredObject;
import io.docbridge.host.auth.User;
import io.docbridge.host.storage.ProviderRecord;
import io.docbridge.host.storage.StorageProviders;
import io.docbridge.host.web.InputException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Projects, documents and revisions. A revision's file goes to the default storage provider first, then the rows
 * are written in one transaction; if the rows fail, the stored file is deleted again. So a document is never
 * half-created: either it exists with its file, or neither does.
 */
public final class DocumentService {
    private static final Logger log = LoggerFactory.getLogger(DocumentService.class);
    private static final String CODE = "[A-Za-z0-9][A-Za-z0-9._-]{0,31}";
    private static final String NUMBER = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    private static final String REVISION = "[A-Za-z0-9][A-Za-z0-9.-]{0,15}";

    private final Jdbi db;
    private final StorageProviders storage;
    private final Clock clock;

    public DocumentService(Jdbi db, StorageProviders storage, Clock clock) {
        this.db = db;
        this.storage = storage;
        this.clock = clock;
    }

    public Project createProject(String code, String name) {
        String c = trim(code);
        String n = trim(name);
        if (!c.matches(CODE)) {
            throw new InputException("code", "A project code has 1 to 32 letters, digits, '.', '_' or '-'.");
        }
        if (n.isEmpty() || n.length() > 200) {
            throw new InputException("name", "A project name has 1 to 200 characters.");
        }
        try {
            db.useHandle(h -> h.createUpdate("INSERT INTO projects (code, name, created_at) VALUES (:c, :n, :now)")
                    .bind("c", c).bind("n", n).bind("now", now()).execute());
        } catch (UnableToExecuteStatementException e) {
            throw new InputException("code", "A project with the code " + c + " already exists.");
        }
        return projects().stream().filter(p -> p.code().equals(c)).findFirst().orElseThrow();
    }

    public List<Project> projects() {
        return db.withHandle(h -> h.createQuery("""
                        SELECT p.*, (SELECT COUNT(*) FROM documents d WHERE d.project_id = p.id) AS docs
                        FROM projects p ORDER BY p.code""")
                .map((rs, ctx) -> new Project(rs.getLong("id"), rs.getString("code"), rs.getString("name"),
                        rs.getLong("docs"))).list());
    }

    public Optional<Project> project(long id) {
        return projects().stream().filter(p -> p.id() == id).findFirst();
    }

    private static final String DOCUMENT_QUERY = """
            SELECT d.*, p.code AS project_code, u.display_name AS creator,
                   (SELECT r.code FROM revisions r WHERE r.document_id = d.id ORDER BY r.id DESC LIMIT 1) AS latest
            FROM documents d JOIN projects p ON p.id = d.project_id JOIN users u ON u.id = d.created_by
            """;

    /**
     * Documents, newest first, a page at a time by their ids (keyset paging: a page deep in a long list costs what
     * the first does); of one project if {@code projectId} is given.
     *
     * @param before only documents older than this id, or null from the newest
     */
    public List<Document> documents(Long projectId, Long before, int limit) {
        return db.withHandle(h -> {
            var query = h.createQuery(DOCUMENT_QUERY + " WHERE 1 = 1"
                    + (projectId == null ? "" : " AND d.project_id = :p") + (before == null ? "" : " AND d.id < :b")
                    + " ORDER BY d.id DESC LIMIT :limit").bind("limit", limit);
            if (projectId != null) {
                query.bind("p", projectId);
            }
            if (before != null) {
                query.bind("b", before);
            }
            return query.map((rs, ctx) -> mapDocument(rs)).list();
        });
    }

    public Optional<Document> document(long id) {
        return db.withHandle(h -> h.createQuery(DOCUMENT_QUERY + " WHERE d.id = :id").bind("id", id)
                .map((rs, ctx) -> mapDocument(rs)).findOne());
    }

    public List<Revision> revisions(long documentId) {
        return db.withHandle(h -> h.createQuery(REVISION_QUERY + " WHERE r.document_id = :d ORDER BY r.id DESC")
                .bind("d", documentId).map((rs, ctx) -> mapRevision(rs)).list());
    }

    public Optional<Revision> revision(long id) {
        return db.withHandle(h -> h.createQuery(REVISION_QUERY + " WHERE r.id = :id").bind("id", id)
                .map((rs, ctx) -> mapRevision(rs)).findOne());
    }

    private static final String REVISION_QUERY = """
            SELECT r.*, s.name AS provider_name, u.display_name AS creator
            FROM revisions r JOIN storage_providers s ON s.id = r.provider_id JOIN users u ON u.id = r.created_by
            """;

    /**
     * Creates a document with its first revision.
     *
     * @param number the document number, or blank to number it {@code <project>-0001} onwards
     * @throws InputException  for a field that is not acceptable (nothing is stored)
     * @throws PluginException if the storage refused the file (nothing is created)
     */
    public Document createDocument(User user, long projectId, String number, String title, String type, String status,
                                   NewRevision file) {
        Project project = project(projectId).orElseThrow(() -> new InputException("project", "Choose a project."));
        String t = trim(title);
        if (t.isEmpty() || t.length() > 200) {
            throw new InputException("title", "A title has 1 to 200 characters.");
        }
        if (!Document.TYPES.contains(type)) {
            throw new InputException("type", "Choose a document type.");
        }
        if (!Document.STATUSES.contains(status)) {
            throw new InputException("status", "Choose a status.");
        }
        String n = trim(number).isEmpty() ? nextNumber(project) : trim(number);
        if (!n.matches(NUMBER)) {
            throw new InputException("number", "A document number has 1 to 64 letters, digits, '.', '_' or '-'.");
        }
        boolean taken = db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM documents WHERE project_id = :p AND number = :n")
                .bind("p", projectId).bind("n", n).mapTo(Long.class).one()) > 0;
        if (taken) {
            throw new InputException("number", "The number " + n + " is already used in " + project.code() + ".");
        }
        checkRevision(file);
        long id = storeThenRecord(project, n, file, (h, stored) -> {
            long documentId = h.createUpdate("""
                            INSERT INTO documents (project_id, number, title, doc_type, status, created_by, created_at)
                            VALUES (:p, :n, :t, :type, :s, :u, :now)""")
                    .bind("p", projectId).bind("n", n).bind("t", t).bind("type", type).bind("s", status)
                    .bind("u", user.id()).bind("now", now())
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            insertRevision(h, documentId, user, file, stored);
            return documentId;
        });
        log.info("Document {} {} created by {}", project.code(), n, user.username());
        return document(id).orElseThrow();
    }

    /** Adds a revision to a document. Same guarantees as {@link #createDocument}. */
    public Revision addRevision(User user, long documentId, NewRevision file) {
        Document doc = document(documentId).orElseThrow(() -> new InputException("document", "No such document."));
        checkRevision(file);
        boolean taken = revisions(documentId).stream().anyMatch(r -> r.code().equalsIgnoreCase(file.code()));
        if (taken) {
            throw new InputException("code", "Revision " + file.code() + " already exists for " + doc.number() + ".");
        }
        Project project = project(doc.projectId()).orElseThrow();
        long revisionId = storeThenRecord(project, doc.number(), file,
                (h, stored) -> insertRevision(h, documentId, user, file, stored));
        return revision(revisionId).orElseThrow();
    }

    /** A suggestion for the next revision code: A → B, P01 → P02, C09 → C10, 1 → 2, Z → AA. */
    public String nextRevisionCode(long documentId) {
        List<Revision> revisions = revisions(documentId);
        return revisions.isEmpty() ? "A" : RevisionCodes.next(revisions.get(0).code());
    }

    /** Opens a revision's file from the provider it was stored in. The caller closes the stream. */
    public InputStream open(Revision revision) {
        return storage.provider(revision.providerId()).open(revision.storageKey());
    }

    private interface RowWriter {
        long write(Handle h, Stored stored);
    }

    private record Stored(String providerId, StoredObject object, String sha256) {
    }

    private long storeThenRecord(Project project, String number, NewRevision file, RowWriter rows) {
        ProviderRecord target = storage.defaultProvider();
        StorageProvider provider = storage.provider(target.id());
        ObjectPath path = ObjectPath.of(project.code(), number, file.code(), file.fileName());
        // Written (and committed) before the upload: if the host dies before the rows below commit, the next start
        // finds the stored file through this row and removes it (see reconcile).
        String pending = UUID.randomUUID().toString();
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO pending_files (id, provider_id, object_path, created_at)
                        VALUES (:id, :provider, :path, :now)""")
                .bind("id", pending).bind("provider", target.id()).bind("path", path.toString())
                .bind("now", now()).execute());
        MessageDigest sha256 = sha256();
        StoredObject object;
        try (InputStream in = new DigestInputStream(uncloseable(file.content()), sha256)) {
            Map<String, String> metadata = new java.util.HashMap<>(Map.of("project", project.code(),
                    "document", number, "revision", file.code()));
            if (file.modified() != null) {
                metadata.put(StorageProvider.MODIFIED, file.modified().toString());
            }
            object = provider.put(path, in, file.size(), metadata);
        } catch (IOException e) {
            forgetPending(pending);
            throw new PluginException(io.docbridge.api.ErrorKind.UNAVAILABLE, "The upload was interrupted: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            forgetPending(pending);
            throw e;
        }
        Stored stored = new Stored(target.id(), object, HexFormat.of().formatHex(sha256.digest()));
        try {
            db.useHandle(h -> h.createUpdate("UPDATE pending_files SET storage_key = :key WHERE id = :id")
                    .bind("key", object.key()).bind("id", pending).execute());
            return db.inTransaction(h -> {
                long id = rows.write(h, stored);
                h.createUpdate("DELETE FROM pending_files WHERE id = :id").bind("id", pending).execute();
                return id;
            });
        } catch (RuntimeException e) {
            log.warn("Recording {} failed; deleting its stored file again: {}", path, e.getMessage());
            try {
                provider.delete(object.key());
                forgetPending(pending);
            } catch (RuntimeException cleanup) {
                log.error("Could not delete the orphaned file {} in {}; the next start tries again", object.key(),
                        target.name(), cleanup);
            }
            throw e;
        }
    }

    private void forgetPending(String id) {
        db.useHandle(h -> h.createUpdate("DELETE FROM pending_files WHERE id = :id").bind("id", id).execute());
    }

    /**
     * Start-up reconciliation: removes files that were stored for revisions whose rows never committed (the host
     * stopped in between), so nothing is left in the storage that no document refers to, and the same document can
     * be created again. A file a revision does refer to is never touched. What cannot be done now (its provider is
     * not available) is tried again at the next start.
     *
     * @return how many stored files were removed
     */
    public int reconcile() {
        record Pending(String id, String providerId, String path, String key) {
        }
        List<Pending> left = db.withHandle(h -> h.createQuery("SELECT * FROM pending_files ORDER BY created_at")
                .map((rs, ctx) -> new Pending(rs.getString("id"), rs.getString("provider_id"),
                        rs.getString("object_path"), rs.getString("storage_key"))).list());
        int removed = 0;
        for (Pending p : left) {
            try {
                StorageProvider provider = storage.provider(p.providerId());
                Optional<String> key = p.key() != null ? Optional.of(p.key())
                        : provider.keyAt(new ObjectPath(List.of(p.path().split("/"))));
                boolean recorded = key.isPresent() && db.withHandle(h -> h.createQuery(
                                "SELECT COUNT(*) FROM revisions WHERE provider_id = :p AND storage_key = :k")
                        .bind("p", p.providerId()).bind("k", key.get()).mapTo(Long.class).one()) > 0;
                if (key.isPresent() && !recorded) {
                    provider.delete(key.get());
                    removed++;
                    log.warn("Removed {} from storage {}: the host stopped after storing it and before recording "
                            + "its document, so nobody was told it was saved", p.path(), p.providerId());
                } else if (key.isEmpty()) {
                    log.info("Nothing to remove for {}: the host stopped before it was stored (or the storage "
                            + "cannot look paths up)", p.path());
                }
                forgetPending(p.id());
            } catch (RuntimeException e) {
                log.warn("Could not reconcile {} in storage {} now ({}); trying again at the next start", p.path(),
                        p.providerId(), e.getMessage());
            }
        }
        return removed;
    }

    private long insertRevision(Handle h, long documentId, User user, NewRevision file, Stored stored) {
        h.createUpdate("UPDATE storage_providers SET revision_count = revision_count + 1 WHERE id = :p")
                .bind("p", stored.providerId()).execute();
        return h.createUpdate("""
                        INSERT INTO revisions (document_id, code, file_name, content_type, size_bytes, sha256,
                                               provider_id, storage_key, location, created_by, created_at)
                        VALUES (:d, :code, :file, :ct, :size, :sha, :provider, :key, :location, :u, :now)""")
                .bind("d", documentId).bind("code", file.code()).bind("file", file.fileName())
                .bind("ct", file.contentType()).bind("size", stored.object().size()).bind("sha", stored.sha256())
                .bind("provider", stored.providerId()).bind("key", stored.object().key())
                .bind("location", stored.object().location()).bind("u", user.id()).bind("now", now())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    private static void checkRevision(NewRevision file) {
        if (file.code() == null || !file.code().matches(REVISION)) {
            throw new InputException("code", "A revision code has 1 to 16 letters, digits, '.' or '-'.");
        }
        String name = file.fileName();
        if (name == null || name.isBlank()) {
            throw new InputException("file", "Choose a file to upload.");
        }
        if (name.length() > 255) {
            throw new InputException("file", "A file name has at most 255 characters.");
        }
        int bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > 255) {
            // What file systems count: a name of 255 characters outside A–Z can be three or four times as long.
            throw new InputException("file", "A file name has at most 255 bytes; this one has " + bytes
                    + " (letters outside A–Z take two to four each). Shorten it and upload again.");
        }
        if (name.chars().anyMatch(c -> c < 32 || c == '/' || c == '\\') || name.equals(".") || name.equals("..")) {
            throw new InputException("file", "The file name has a character that is not allowed.");
        }
    }

    private String nextNumber(Project project) {
        long count = db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM documents WHERE project_id = :p")
                .bind("p", project.id()).mapTo(Long.class).one());
        return "%s-%04d".formatted(project.code(), count + 1);
    }

    private static InputStream uncloseable(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static Document mapDocument(ResultSet rs) throws SQLException {
        return new Document(rs.getLong("id"), rs.getLong("project_id"), rs.getString("project_code"),
                rs.getString("number"), rs.getString("title"), rs.getString("doc_type"), rs.getString("status"),
                Optional.ofNullable(rs.getString("latest")).orElse(""), rs.getString("creator"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static Revision mapRevision(ResultSet rs) throws SQLException {
        return new Revision(rs.getLong("id"), rs.getLong("document_id"), rs.getString("code"), rs.getString("file_name"),
                rs.getString("content_type"), rs.getLong("size_bytes"), rs.getString("sha256"),
                rs.getString("provider_id"), rs.getString("provider_name"), rs.getString("storage_key"),
                rs.getString("location"), rs.getString("creator"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
