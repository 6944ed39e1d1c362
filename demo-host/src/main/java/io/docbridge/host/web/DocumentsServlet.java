package io.docbridge.host.web;

import io.docbridge.api.PluginException;
import io.docbridge.host.documents.Document;
import io.docbridge.host.documents.DocumentService;
import io.docbridge.host.documents.NewRevision;
import io.docbridge.host.documents.Revision;
import io.docbridge.host.storage.StorageProviders;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Projects, documents and revisions. Uploads arrive as multipart forms, which the container spools to disk, and
 * are streamed from there to the storage provider; downloads stream from the provider. A failed form is shown
 * again with what the person typed and the reason next to the field.
 */
public final class DocumentsServlet extends PageServlet {
    private static final long serialVersionUID = 1L;
    /** Types a browser would run or render as a page; such files are always sent as plain downloads. */
    private static final Set<String> ACTIVE_TYPES = Set.of("text/html", "application/xhtml+xml", "image/svg+xml",
            "text/xml", "application/xml", "text/javascript", "application/javascript");

    private final transient DocumentService documents;
    private final transient StorageProviders storage;

    public DocumentsServlet(Pages pages, DocumentService documents, StorageProviders storage) {
        super(pages);
        this.documents = documents;
        this.storage = storage;
    }

    @Override
    protected boolean route(Router r) throws Exception {
        return r.get("/", (req, resp, m) -> Web.redirect(req, resp, "/documents"))
                || r.get("/documents", this::list)
                || r.post("/projects", this::createProject)
                || r.get("/documents/new", this::newForm)
                || r.post("/documents/new", this::create)
                || r.get("/documents/(\\d+)", this::show)
                || r.post("/documents/(\\d+)/revisions", this::addRevision)
                || r.get("/revisions/(\\d+)/download", this::download);
    }

    private void list(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        Long project = Optional.ofNullable(req.getParameter("project")).filter(s -> s.matches("\\d+"))
                .map(Long::valueOf).orElse(null);
        Long before = Optional.ofNullable(req.getParameter("before")).filter(s -> s.matches("\\d{1,18}"))
                .map(Long::valueOf).orElse(null);
        Map<String, Object> model = new HashMap<>();
        model.put("projects", documents.projects());
        putPage(model, documents.documents(project, before, PAGE + 1), before != null);
        model.put("selectedProject", project == null ? 0L : project);
        model.put("form", Map.of());
        model.put("errors", Map.of());
        pages.render(req, resp, "documents.ftlh", model);
    }

    /** Documents per page of the list. */
    static final int PAGE = 50;

    /** A page of documents (one more was read, to know whether older ones follow) and the link to them. */
    private static void putPage(Map<String, Object> model, List<Document> read, boolean older) {
        List<Document> shown = read.subList(0, Math.min(PAGE, read.size()));
        model.put("documents", shown);
        model.put("olderThan", read.size() > PAGE ? shown.get(shown.size() - 1).id() : 0L);
        model.put("paged", older);
    }

    private void createProject(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        try {
            var project = documents.createProject(req.getParameter("code"), req.getParameter("name"));
            Web.flash(req, "success", "Project " + project.code() + " created.");
            Web.redirect(req, resp, "/documents?project=" + project.id());
        } catch (InputException e) {
            Map<String, Object> model = new HashMap<>();
            model.put("projects", documents.projects());
            putPage(model, documents.documents(null, null, PAGE + 1), false);
            model.put("selectedProject", 0L);
            model.put("form", Map.of("code", param(req, "code"), "name", param(req, "name")));
            model.put("errors", Map.of(e.field(), e.getMessage()));
            pages.render(req, resp, 400, "documents.ftlh", model);
        }
    }

    private void newForm(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        Map<String, String> form = new HashMap<>(Map.of("type", Document.TYPES.get(0), "status",
                Document.STATUSES.get(0), "code", "A"));
        Optional.ofNullable(req.getParameter("project")).ifPresent(p -> form.put("project", p));
        renderNewForm(req, resp, 200, form, Map.of());
    }

    private void renderNewForm(HttpServletRequest req, HttpServletResponse resp, int status, Map<String, String> form,
                               Map<String, String> errors) throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("projects", documents.projects());
        model.put("types", Document.TYPES);
        model.put("statuses", Document.STATUSES);
        model.put("form", form);
        model.put("errors", errors);
        model.put("storage", storage.defaultProvider());
        pages.render(req, resp, status, "document-new.ftlh", model);
    }

    private void create(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        Map<String, String> form = new HashMap<>();
        for (String name : new String[]{"project", "number", "title", "type", "status", "code"}) {
            form.put(name, param(req, name));
        }
        try (Upload upload = Upload.of(req, form.get("code"))) {
            long projectId = form.get("project").matches("\\d+") ? Long.parseLong(form.get("project")) : -1;
            Document doc = documents.createDocument(Web.requireUser(req), projectId, form.get("number"),
                    form.get("title"), form.get("type"), form.get("status"), upload.revision());
            Web.flash(req, "success", "Document " + doc.number() + " created with revision " + form.get("code") + ".");
            Web.redirect(req, resp, "/documents/" + doc.id());
        } catch (InputException e) {
            renderNewForm(req, resp, 400, form, Map.of(e.field(), e.getMessage()));
        } catch (PluginException e) {
            renderNewForm(req, resp, Web.status(e.kind()), form, Map.of("file", "The file could not be stored: " + Web.explain(e)
                    + " Nothing was created."));
        }
    }

    private void show(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        long id = id(m.group(1));
        renderDocument(req, resp, 200, found(documents.document(id)),
                Map.of("code", documents.nextRevisionCode(id)), Map.of());
    }

    private void renderDocument(HttpServletRequest req, HttpServletResponse resp, int status, Document doc,
                                Map<String, String> form, Map<String, String> errors) throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("doc", doc);
        model.put("revisions", documents.revisions(doc.id()));
        model.put("form", form);
        model.put("errors", errors);
        model.put("storage", storage.defaultProvider());
        pages.render(req, resp, status, "document.ftlh", model);
    }

    private void addRevision(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        Document doc = found(documents.document(id(m.group(1))));
        Map<String, String> form = Map.of("code", param(req, "code"));
        try (Upload upload = Upload.of(req, form.get("code"))) {
            Revision revision = documents.addRevision(Web.requireUser(req), doc.id(), upload.revision());
            Web.flash(req, "success", "Revision " + revision.code() + " added.");
            Web.redirect(req, resp, "/documents/" + doc.id());
        } catch (InputException e) {
            renderDocument(req, resp, 400, doc, form, Map.of(e.field(), e.getMessage()));
        } catch (PluginException e) {
            renderDocument(req, resp, Web.status(e.kind()), doc, form, Map.of("file", "The file could not be stored: "
                    + Web.explain(e) + " Nothing was added."));
        }
    }

    private void download(HttpServletRequest req, HttpServletResponse resp, Matcher m) throws Exception {
        Revision revision = found(documents.revision(id(m.group(1))));
        try (InputStream in = documents.open(revision)) {
            String type = revision.contentType();
            boolean active = ACTIVE_TYPES.contains(type.toLowerCase(java.util.Locale.ROOT));
            resp.setContentType(active ? "application/octet-stream" : type);
            resp.setHeader("Content-Disposition", attachment(revision.fileName()));
            resp.setHeader("Cache-Control", "private, no-store");
            if (req.getMethod().equals("HEAD")) {
                resp.setContentLengthLong(revision.size());
                return;
            }
            Web.sendFile(in, resp, revision.size(), "revision " + revision.id());
        }
    }

    /** RFC 6266: an ASCII fallback name, and the real one percent-encoded. */
    static String attachment(String fileName) {
        String ascii = fileName.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
        String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    private static String param(HttpServletRequest req, String name) {
        return Optional.ofNullable(req.getParameter(name)).orElse("");
    }

    /** The file part of a multipart form, as a revision; deletes the container's spooled copy when closed. */
    private record Upload(Part part, NewRevision revision) implements AutoCloseable {
        static Upload of(HttpServletRequest req, String code) throws Exception {
            Part part = req.getPart("file");
            if (part == null || part.getSubmittedFileName() == null || part.getSubmittedFileName().isBlank()) {
                throw new InputException("file", "Choose a file to upload.");
            }
            String name = part.getSubmittedFileName();
            name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
            String type = Optional.ofNullable(part.getContentType()).filter(t -> t.matches("[\\w.+-]+/[\\w.+-]+"))
                    .orElse("application/octet-stream");
            return new Upload(part, new NewRevision(code, name, type, part.getSize(), part.getInputStream(),
                    Web.fileModified(req)));
        }

        @Override
        public void close() throws IOException {
            revision.content().close();
            part.delete();
        }
    }
}
