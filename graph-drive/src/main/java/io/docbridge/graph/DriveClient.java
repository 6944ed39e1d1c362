package io.docbridge.graph;

import com.microsoft.graph.drives.item.items.item.createuploadsession.CreateUploadSessionPostRequestBody;
import com.microsoft.graph.models.Drive;
import com.microsoft.graph.models.DriveItem;
import com.microsoft.graph.models.DriveItemUploadableProperties;
import com.microsoft.graph.models.Folder;
import com.microsoft.graph.models.Site;
import com.microsoft.graph.models.UploadSession;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.serialization.JsonParseNodeFactory;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.Metrics;
import io.docbridge.api.PluginException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Microsoft Graph drives and sites for the Docbridge plugins, through the Graph SDK v6. Every call goes through one
 * retry policy and one error mapping; failures arrive as {@link PluginException}. Thread-safe.
 */
public final class DriveClient {
    private static final Logger log = LoggerFactory.getLogger(DriveClient.class);
    /** Upload fragments must be multiples of 320 KiB; 10 MiB is within Microsoft's recommended 5-10 MiB. */
    static final int FRAGMENT_UNIT = 320 * 1024;
    private static final MediaType OCTETS = MediaType.get("application/octet-stream");
    /** Files up to this size go in one request; larger ones through an upload session. */
    static final int SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;

    /**
     * Where a client gets access tokens, and hears that Graph refused one; {@link MicrosoftSignIn#tokens} refreshes
     * after a refusal. A lambda that returns a token will do where no refresh is possible (app-only).
     */
    @FunctionalInterface
    public interface Tokens {
        String token();

        /** Graph answered 401 to the last token: the next one should be freshly refreshed. */
        default void refused() {
        }
    }

    /**
     * How long a person waits for one answer from Microsoft 365 before the page says it timed out. Background work
     * (the change feed a sync reads, upload fragments) waits up to {@link #PATIENT_ANSWER}.
     */
    public static final Duration ANSWER_TIME = Duration.ofSeconds(25);
    static final Duration PATIENT_ANSWER = Duration.ofSeconds(60);

    /** Answers a person waits for: short timeouts, few attempts. */
    private final GraphServiceClient graph;
    private final OkHttpClient uploads;
    /**
     * The change feed a sync reads in the background, read by {@link DeltaPage}: the patient client, with the SDK's
     * middleware.
     */
    private final OkHttpClient feed;
    private final Retry retry;
    private final Retry whilePersonWaits;
    /** The change feed a sync reads: a wait longer than this goes back to the host's scheduler (Retry-After). */
    static final Duration LONGEST_SYNC_WAIT = Duration.ofSeconds(30);
    private final Retry changeFeed;
    private final int fragmentSize;
    private final int simpleLimit;
    private final Tokens tokens;
    private final Metrics metrics;
    /** How long a fragment's bytes may stop moving before it is given up ({@link StalledUploads}). */
    private final Duration uploadStall;

    private DriveClient(GraphServiceClient graph, OkHttpClient uploads, OkHttpClient feed, Retry retry, int fragmentSize,
                        int simpleLimit, Tokens tokens, Metrics metrics, Duration uploadStall) {
        this.feed = feed;
        this.uploadStall = uploadStall;
        this.metrics = metrics;
        this.tokens = tokens;
        this.simpleLimit = simpleLimit;
        if (fragmentSize % FRAGMENT_UNIT != 0) {
            throw new IllegalArgumentException("fragments are multiples of 320 KiB");
        }
        this.graph = graph;
        this.uploads = uploads;
        this.retry = retry;
        this.whilePersonWaits = retry.whilePersonWaits();
        this.changeFeed = retry.waitingAtMost(LONGEST_SYNC_WAIT);
        this.fragmentSize = fragmentSize;
    }

    /**
     * A client for one connection. Tokens are only ever attached to requests for the cloud's Graph host; upload
     * URLs get none (they are pre-authenticated, and may be on another host).
     */
    public static DriveClient connect(GraphConnection connection, Tokens tokens) {
        return connect(connection, tokens, ANSWER_TIME, Metrics.NONE);
    }

    /**
     * As {@link #connect(GraphConnection, Tokens)}, with another {@link #ANSWER_TIME}, counting requests, waits and
     * upload bytes in {@code metrics}.
     */
    public static DriveClient connect(GraphConnection connection, Tokens tokens, Duration answerTime, Metrics metrics) {
        return connect(connection, tokens, Retry.standard().counting(metrics), 32 * FRAGMENT_UNIT, SIMPLE_UPLOAD_LIMIT,
                answerTime, metrics);
    }

    static DriveClient connect(GraphConnection connection, Tokens tokenSource, Retry retry, int fragmentSize,
                               int simpleLimit) {
        return connect(connection, tokenSource, retry, fragmentSize, simpleLimit, ANSWER_TIME, Metrics.NONE);
    }

    static DriveClient connect(GraphConnection connection, Tokens tokenSource, Retry retry, int fragmentSize,
                               int simpleLimit, Duration answerTime) {
        return connect(connection, tokenSource, retry, fragmentSize, simpleLimit, answerTime, Metrics.NONE);
    }

    static DriveClient connect(GraphConnection connection, Tokens tokenSource, Retry retry, int fragmentSize,
                               int simpleLimit, Duration answerTime, Metrics metrics) {
        return connect(connection, tokenSource, retry, fragmentSize, simpleLimit, answerTime, metrics, UPLOAD_STALL);
    }

    /** How long an upload fragment's bytes may stop moving (the server no longer reading) before it is given up. */
    static final Duration UPLOAD_STALL = Duration.ofMinutes(2);

    static DriveClient connect(GraphConnection connection, Tokens tokenSource, Retry retry, int fragmentSize,
                               int simpleLimit, Duration answerTime, Metrics metrics, Duration uploadStall) {
        Supplier<String> accessToken = tokenSource::token;
        String graphHost = connection.cloud().graph().getHost();
        AccessTokenProvider tokens = new AccessTokenProvider() {
            private final AllowedHostsValidator allowed = new AllowedHostsValidator(graphHost);

            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return allowed.isUrlHostValid(uri) ? accessToken.get() : "";
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return allowed;
            }
        };
        GraphTransport transport = GraphTransport.of(connection);
        GraphRequestMetrics counted = new GraphRequestMetrics(metrics);
        // Derived clients share the transport's connection pool and dispatcher; only timeouts and counters differ.
        OkHttpClient patient = transport.graph.newBuilder().addInterceptor(counted).build();
        OkHttpClient prompt = patient.newBuilder().readTimeout(answerTime).writeTimeout(answerTime).build();
        var auth = new BaseBearerTokenAuthenticationProvider(tokens);
        GraphServiceClient graph = new GraphServiceClient(auth, prompt);
        graph.getRequestAdapter().setBaseUrl(connection.cloud().graph().toString());
        OkHttpClient uploads = transport.uploads.newBuilder().addInterceptor(counted).build();
        return new DriveClient(graph, uploads, patient, retry, fragmentSize, simpleLimit, tokenSource,
                metrics, uploadStall);
    }

    /** A call a person waits on. */
    private <T> T call(String what, Retry.Attempt<T> attempt) {
        return whilePersonWaits.call(what, attempt, tokens::refused);
    }

    // ---- sites and libraries ----

    public List<Site> searchSites(String query) {
        return call("searching sites", () -> graph.sites().get(rc -> rc.queryParameters.search =
                query == null || query.isBlank() ? "*" : query).getValue());
    }

    /** The site at a URL a person pasted, such as https://contoso.sharepoint.com/sites/Projects/SitePages/Home.aspx. */
    public Site siteByUrl(String webUrl) {
        URI uri;
        try {
            uri = URI.create(webUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new PluginException(ErrorKind.INVALID_INPUT, "That is not a web address: " + webUrl);
        }
        if (uri.getHost() == null || !"https".equals(uri.getScheme())) {
            throw new PluginException(ErrorKind.INVALID_INPUT, "Paste the site's address, starting with https://");
        }
        String[] parts = Optional.ofNullable(uri.getPath()).orElse("").split("/");
        String path = parts.length >= 3 && (parts[1].equals("sites") || parts[1].equals("teams"))
                ? "/" + parts[1] + "/" + parts[2] : "";
        String id = path.isEmpty() ? uri.getHost() : uri.getHost() + ":" + path + ":";
        return call("opening the site " + webUrl, () -> graph.sites().bySiteId(id).get());
    }

    /** Every document library of a site, in SharePoint's order (never only the default one). */
    public List<Drive> libraries(String siteId) {
        return call("listing the site's libraries", () -> graph.sites().bySiteId(siteId).drives().get().getValue());
    }

    /** The signed-in user's own OneDrive. */
    public Drive myDrive() {
        return call("opening your OneDrive", () -> graph.me().drive().get());
    }

    public Drive drive(String driveId) {
        return call("opening the library", () -> graph.drives().byDriveId(driveId).get());
    }

    // ---- items ----

    public DriveItem item(String driveId, String itemId) {
        return call("reading an item", () -> graph.drives().byDriveId(driveId).items().byDriveItemId(itemId).get());
    }

    /** The item at a path below the root ({@code segments} as stored, already legal), if there is one. */
    public Optional<DriveItem> itemAt(String driveId, List<String> segments) {
        return itemAt(driveId, segments, "finding an item");
    }

    private Optional<DriveItem> itemAt(String driveId, List<String> segments, String what) {
        String path = "root:/" + String.join("/", segments) + ":";
        try {
            return Optional.of(call(what, () -> graph.drives().byDriveId(driveId).items()
                    .byDriveItemId(path).get()));
        } catch (PluginException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The folder at {@code folders} below the root, creating what is missing. Returns the deepest folder. */
    public DriveItem ensureFolders(String driveId, List<String> folders) {
        if (folders.isEmpty()) {
            return item(driveId, "root");
        }
        Optional<DriveItem> existing = itemAt(driveId, folders, "finding a folder");
        if (existing.isPresent()) {
            return existing.get();
        }
        DriveItem parent = ensureFolders(driveId, folders.subList(0, folders.size() - 1));
        try {
            return createFolder(driveId, parent.getId(), folders.get(folders.size() - 1), "fail");
        } catch (PluginException e) {
            if (e.kind() != ErrorKind.CONFLICT) {
                throw e;
            }
            // Someone created it meanwhile: use theirs.
            return itemAt(driveId, folders, "finding a folder").orElseThrow(() -> e);
        }
    }

    /**
     * Creates a folder; {@code conflict} is fail, replace or rename. Creating is not idempotent, so an answer that was
     * lost (timed out, dropped, a 5xx) is not blindly repeated: under fail the folder is looked up first and, if the
     * lost request made it, that folder is the result; a timed-out create is never repeated (it may still land), and
     * the message says the folder may have been created.
     */
    public DriveItem createFolder(String driveId, String parentId, String name, String conflict) {
        // A new body for each attempt: the SDK's models send only what changed since they were last serialized, so
        // a retry with the same object would send an empty folder.
        Retry.Attempt<DriveItem> create = () -> {
            DriveItem folder = new DriveItem();
            folder.setName(name);
            folder.setFolder(new Folder());
            folder.getAdditionalData().put("@microsoft.graph.conflictBehavior", conflict);
            return graph.drives().byDriveId(driveId).items().byDriveItemId(parentId).children().post(folder);
        };
        for (int attempt = 1; ; attempt++) {
            try {
                return whilePersonWaits.call("creating a folder", create, tokens::refused, Retry.Waiting.NONE, false);
            } catch (PluginException e) {
                boolean lostAnswer = e.kind() == ErrorKind.UNAVAILABLE || e.kind() == ErrorKind.TIMED_OUT;
                boolean repeatedLost = e.kind() == ErrorKind.CONFLICT && attempt > 1;
                if (!lostAnswer && !repeatedLost) {
                    throw e;
                }
                Optional<DriveItem> made = conflict.equals("fail") ? lookUp(driveId, parentId, name) : Optional.empty();
                if (made.isPresent() && made.get().getFolder() != null) {
                    log.info("A folder create whose answer was lost had succeeded; using that folder");
                    return made.get();
                }
                if (repeatedLost) {
                    throw e;
                }
                if (e.kind() == ErrorKind.TIMED_OUT || !conflict.equals("fail") || attempt >= 2) {
                    throw new PluginException(ErrorKind.TIMED_OUT, e.kind() == ErrorKind.TIMED_OUT
                            ? "Microsoft 365 did not answer in time; the folder may have been created."
                            : e.getMessage() + " The folder may have been created.", e);
                }
            }
        }
    }

    /** The child of a folder by name, if Microsoft 365 answers in time; empty when it does not. */
    private Optional<DriveItem> lookUp(String driveId, String parentId, String name) {
        try {
            return Optional.of(call("finding a folder", () -> graph.drives().byDriveId(driveId).items()
                    .byDriveItemId(parentId + ":/" + name + ":").get()));
        } catch (PluginException unknown) {
            return Optional.empty();
        }
    }

    /** Renames and/or moves an item within its drive; null keeps the name or the folder. */
    public DriveItem move(String driveId, String itemId, String newParentId, String newName) {
        return call("moving an item", () -> {
            DriveItem change = new DriveItem(); // per attempt: see createFolder
            if (newName != null) {
                change.setName(newName);
            }
            if (newParentId != null) {
                com.microsoft.graph.models.ItemReference parent = new com.microsoft.graph.models.ItemReference();
                parent.setId(newParentId);
                change.setParentReference(parent);
            }
            return graph.drives().byDriveId(driveId).items().byDriveItemId(itemId).patch(change);
        });
    }

    /** The items in a folder, every page. */
    public List<DriveItem> children(String driveId, String folderId) {
        List<DriveItem> all = new java.util.ArrayList<>();
        var page = call("listing a folder", () -> graph.drives().byDriveId(driveId).items().byDriveItemId(folderId)
                .children().get(rc -> rc.queryParameters.top = 200));
        while (true) {
            all.addAll(page.getValue());
            String next = page.getOdataNextLink();
            if (next == null) {
                return all;
            }
            page = call("listing a folder", () -> graph.drives().byDriveId(driveId).items().byDriveItemId(folderId)
                    .children().withUrl(next).get());
        }
    }

    /**
     * One page of the drive's delta feed: from the start with a null link, else from a nextLink or deltaLink this
     * client handed out. A link that is not on this cloud's Graph host is refused (it would get a token). Read with
     * {@link DeltaPage}'s streaming parser rather than the SDK's model (it says why), over the SDK's own HTTP client.
     *
     * @throws PluginException CURSOR_EXPIRED for a link Graph no longer honours (410) or one that is not a Graph link
     */
    DeltaPage delta(String driveId, String link, int pageSize) {
        return delta(driveId, link, pageSize, Retry.Waiting.NONE);
    }

    /** As {@link #delta(String, String, int)}, telling {@code waiting} when it waits to retry. */
    DeltaPage delta(String driveId, String link, int pageSize, Retry.Waiting waiting) {
        String base = graph.getRequestAdapter().getBaseUrl();
        String url;
        if (link == null) {
            url = base + "/drives/" + segment(driveId) + "/root/delta?$top=" + pageSize;
        } else {
            URI uri;
            try {
                uri = URI.create(link);
            } catch (IllegalArgumentException e) {
                throw new PluginException(ErrorKind.CURSOR_EXPIRED, "The sync position is not valid; a full resync runs.");
            }
            URI graphBase = URI.create(base);
            if (!"https".equals(uri.getScheme()) || !graphBase.getHost().equalsIgnoreCase(uri.getHost())
                    || uri.getPort() != graphBase.getPort()) {
                throw new PluginException(ErrorKind.CURSOR_EXPIRED, "The sync position is not a Microsoft Graph link; a "
                        + "full resync runs.");
            }
            url = link;
        }
        return changeFeed.call("reading changes", () -> {
            Request get = new Request.Builder().url(url).header("Authorization", "Bearer " + tokens.token())
                    .header("Accept", "application/json").build();
            try (Response response = feed.newCall(get).execute()) {
                if (response.code() == 200 && response.body() != null) {
                    return DeltaPage.read(response.body().byteStream());
                }
                throw failure(response, response.body() == null ? new byte[0] : response.body().bytes(),
                        "reading changes");
            }
        }, tokens::refused, waiting);
    }

    /**
     * Opens a file's content (through its pre-authenticated download URL), read ahead of the caller ({@link
     * ReadAhead} says why). The caller closes the stream.
     */
    public InputStream download(String driveId, String itemId) {
        InputStream content = call("downloading a file", () -> graph.drives().byDriveId(driveId).items()
                .byDriveItemId(itemId).content().get());
        return new ReadAhead(content == null ? InputStream.nullInputStream() : content); // no body: an empty file
    }

    public void delete(String driveId, String itemId) {
        call("deleting an item", () -> {
            graph.drives().byDriveId(driveId).items().byDriveItemId(itemId).delete();
            return null;
        });
    }

    // ---- change notifications ----

    /**
     * Subscribes to changes anywhere in a drive (its root is the only item Graph watches on OneDrive for Business and
     * SharePoint), changeType {@code updated}, the only one drives support. Graph first validates the URL.
     *
     * @throws PluginException INVALID_INPUT if Graph could not validate the URL (it cannot reach it)
     */
    public com.microsoft.graph.models.Subscription subscribe(String driveId, String notificationUrl,
                                                            String clientState, Instant until) {
        return call("subscribing to changes", () -> {
            com.microsoft.graph.models.Subscription s = new com.microsoft.graph.models.Subscription();
            s.setChangeType("updated");
            s.setNotificationUrl(notificationUrl);
            s.setResource("/drives/" + driveId + "/root");
            s.setExpirationDateTime(until.atOffset(java.time.ZoneOffset.UTC));
            s.setClientState(clientState);
            return graph.subscriptions().post(s);
        });
    }

    /** @throws PluginException NOT_FOUND if Graph no longer has it (it expired, or was deleted) */
    public com.microsoft.graph.models.Subscription renewSubscription(String id, Instant until) {
        return call("renewing a subscription", () -> {
            com.microsoft.graph.models.Subscription s = new com.microsoft.graph.models.Subscription();
            s.setExpirationDateTime(until.atOffset(java.time.ZoneOffset.UTC));
            return graph.subscriptions().bySubscriptionId(id).patch(s);
        });
    }

    /** Deletes a subscription; one Graph no longer has is fine. */
    public void unsubscribe(String id) {
        try {
            call("ending a subscription", () -> {
                graph.subscriptions().bySubscriptionId(id).delete();
                return null;
            });
        } catch (PluginException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
    }

    // ---- uploads ----

    /**
     * Uploads a file into a folder through an upload session, streaming: two fragments at most are in memory (one
     * being sent, the next read meanwhile). A failed fragment is retried per the policy, resuming from the service's
     * nextExpectedRanges; an upload given up on is cancelled, so nothing half-written remains.
     *
     * @param size       the exact length, or -1 to spool the stream to a temporary file first
     * @param conflict   fail, replace or rename
     * @throws PluginException INVALID_INPUT if the stream is not {@code size} bytes long; CONFLICT if the name is taken
     *                         and {@code conflict} is fail; the usual kinds otherwise
     */
    public UploadResult upload(String driveId, String parentId, String name, InputStream in, long size,
                               String conflict) {
        return upload(driveId, parentId, name, in, size, conflict, null);
    }

    /**
     * {@link #upload(String, String, String, InputStream, long, String)} keeping the file's own modified time as its
     * {@code fileSystemInfo} (https://learn.microsoft.com/en-us/graph/api/resources/filesysteminfo), so the document's
     * date in OneDrive or SharePoint is the document's, not the upload's.
     *
     * @param modified when the file last changed where it comes from; null to let the service stamp the upload time
     */
    public UploadResult upload(String driveId, String parentId, String name, InputStream in, long size,
                               String conflict, Instant modified) {
        if (size < 0) {
            return spooled(in, spooled -> upload(driveId, parentId, name, spooled.in(), spooled.size(), conflict,
                    modified));
        }
        if (size == 0 || size <= simpleLimit && modified == null) {
            UploadResult result = simple(driveId, parentId, name, in, (int) size, conflict);
            return modified == null ? result : withTime(driveId, result, modified);
        }
        // A small file with a time goes through a session too: its request carries fileSystemInfo, so the file and
        // its time arrive together rather than as an upload and a PATCH.
        return throughSession(driveId, parentId + ":/" + name + ":", name, in, size, conflict, modified, null);
    }

    /**
     * Replaces a file's content only if its eTag is still {@code ifMatch}: createUploadSession with If-Match, which
     * Graph refuses with 412 when the file changed since (https://learn.microsoft.com/en-us/graph/api/driveitem-createuploadsession).
     *
     * @throws PluginException CHANGED_SINCE_READ if it changed (nothing was written)
     */
    public UploadResult replace(String driveId, String itemId, String name, InputStream in, long size, String ifMatch,
                                Instant modified) {
        if (size < 0) {
            return spooled(in, spooled -> replace(driveId, itemId, name, spooled.in(), spooled.size(), ifMatch,
                    modified));
        }
        if (size > 0) {
            return throughSession(driveId, itemId, name, in, size, "replace", modified, ifMatch);
        }
        // An upload session cannot describe zero bytes: PUT on the item with If-Match, which Graph honours there too.
        byte[] none = new byte[0];
        DriveItem item = call("uploading a file", () -> graph.drives().byDriveId(driveId).items().byDriveItemId(itemId)
                .content().put(new ByteArrayInputStream(none), config -> config.headers.add("If-Match", ifMatch)));
        UploadResult result = checked(item, new QuickXorHash().digest(), name, 0);
        return modified == null ? result : withTime(driveId, result, modified);
    }

    private UploadResult throughSession(String driveId, String target, String name, InputStream in, long size,
                                        String conflict, Instant modified, String ifMatch) {
        UploadSession session = call("starting an upload", () -> {
            CreateUploadSessionPostRequestBody body = new CreateUploadSessionPostRequestBody(); // per attempt
            DriveItemUploadableProperties props = new DriveItemUploadableProperties();
            props.getAdditionalData().put("@microsoft.graph.conflictBehavior", conflict);
            if (modified != null) {
                props.setFileSystemInfo(fileTimes(modified));
            }
            body.setItem(props);
            return graph.drives().byDriveId(driveId).items().byDriveItemId(target).createUploadSession()
                    .post(body, config -> {
                        if (ifMatch != null) {
                            config.headers.add("If-Match", ifMatch);
                        }
                    });
        });
        String url = session.getUploadUrl();
        boolean finished = false;
        try {
            UploadResult result = sendFragments(url, in, size, name);
            finished = true;
            return result;
        } finally {
            if (!finished) {
                cancel(url);
            }
        }
    }

    private static com.microsoft.graph.models.FileSystemInfo fileTimes(Instant modified) {
        com.microsoft.graph.models.FileSystemInfo info = new com.microsoft.graph.models.FileSystemInfo();
        info.setLastModifiedDateTime(modified.atOffset(java.time.ZoneOffset.UTC));
        return info;
    }

    /** Sets the modified time of a file uploaded without one (a simple upload has no body to carry it). */
    private UploadResult withTime(String driveId, UploadResult uploaded, Instant modified) {
        DriveItem patched = call("setting the file's modified time", () -> {
            DriveItem patch = new DriveItem();
            patch.setFileSystemInfo(fileTimes(modified));
            return graph.drives().byDriveId(driveId).items().byDriveItemId(uploaded.item().getId()).patch(patch);
        });
        return new UploadResult(patched, uploaded.localHash(), uploaded.hashMatches());
    }

    /**
     * A small file in one request ({@code PUT …/content}, Microsoft's advice up to 4 MiB): read into a buffer of at
     * most that size, so a retry can send it again. Empty files go this way too (an upload session cannot describe
     * zero bytes).
     */
    private UploadResult simple(String driveId, String parentId, String name, InputStream in, int size, String conflict) {
        byte[] bytes = new byte[size];
        FragmentSource.readExactly(in, bytes, 0, size, size);
        String url = graph.getRequestAdapter().getBaseUrl() + "/drives/" + segment(driveId) + "/items/"
                + segment(parentId + ":/" + name + ":") + "/content?@microsoft.graph.conflictBehavior=" + conflict;
        Retry.Attempt<DriveItem> put = () -> graph.drives().byDriveId(driveId).items().byDriveItemId(parentId)
                .content().withUrl(url).put(new ByteArrayInputStream(bytes));
        QuickXorHash hash = new QuickXorHash();
        hash.update(bytes, 0, size);
        String sent = hash.digest();
        DriveItem item;
        if (conflict.equals("replace")) {
            item = call("uploading a file", put); // sending the same bytes again changes nothing
        } else {
            // Under fail or rename a repeat would be refused or make a copy: after a lost answer, look first.
            try {
                item = whilePersonWaits.call("uploading a file", put, tokens::refused, Retry.Waiting.NONE, false);
            } catch (PluginException e) {
                if (e.kind() != ErrorKind.UNAVAILABLE && e.kind() != ErrorKind.TIMED_OUT) {
                    throw e;
                }
                item = lookUp(driveId, parentId, name).filter(found -> found.getFile() != null
                        && found.getFile().getHashes() != null
                        && sent.equals(found.getFile().getHashes().getQuickXorHash())).orElseThrow(() ->
                        new PluginException(ErrorKind.TIMED_OUT, e.getMessage() + " The file may have been "
                                + "uploaded.", e));
            }
        }
        metrics.count("graph.upload.bytes", size);
        return checked(item, sent, name, size);
    }

    private static String segment(String raw) {
        return java.net.URLEncoder.encode(raw, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A stream of unknown length, copied to a temporary file so its length is known before the upload starts. */
    private record Spooled(InputStream in, long size) {
    }

    private UploadResult spooled(InputStream in, java.util.function.Function<Spooled, UploadResult> upload) {
        Path temp = null;
        try {
            temp = Files.createTempFile("docbridge-upload-", ".part");
            long size;
            try (OutputStream out = Files.newOutputStream(temp)) {
                size = in.transferTo(out);
            }
            try (InputStream spooled = Files.newInputStream(temp)) {
                return upload.apply(new Spooled(spooled, size));
            }
        } catch (IOException e) {
            throw new PluginException(ErrorKind.UNAVAILABLE, "Could not read the file to upload: " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover temporary file costs disk only
                }
            }
        }
    }

    private UploadResult sendFragments(String url, InputStream in, long size, String name) {
        try (FragmentSource fragments = new FragmentSource(in, size, fragmentSize)) {
            DriveItem committed = null;
            while (committed == null) {
                FragmentSource.Fragment fragment = fragments.next();
                committed = sendFragment(url, fragment.bytes(), fragment.offset(), fragment.length(), size);
                if (committed == null && fragment.last()) {
                    throw new PluginException(ErrorKind.UNAVAILABLE, "Microsoft 365 took every byte of " + name
                            + " but did not finish the upload; try again.");
                }
            }
            return checked(committed, fragments.digest(), name, size);
        }
    }

    /** Compares what was sent with what the service stored; the service's version is the truth either way. */
    private static UploadResult checked(DriveItem stored, String local, String name, long size) {
        String remote = stored.getFile() == null || stored.getFile().getHashes() == null ? null
                : stored.getFile().getHashes().getQuickXorHash();
        boolean matches = local.equals(remote);
        if (!matches) {
            if (OfficeFiles.rewrittenBySharePoint(name)) {
                log.info("SharePoint rewrote the Office file {} after upload ({} bytes sent, {} stored); keeping its "
                        + "version", name, size, stored.getSize());
            } else {
                log.warn("The quickXorHash of {} differs after upload (sent {}, stored {})", name, local, remote);
            }
        }
        return new UploadResult(stored, local, matches);
    }

    /**
     * Sends one fragment, retrying per the policy; after a failure it asks the session what it has and sends only the
     * rest. Returns the item when this fragment completed the file, null while more is expected.
     */
    private DriveItem sendFragment(String url, byte[] buffer, long offset, int length, long size) {
        long[] from = {offset};
        // Fragments are resumable (the session says what it has), so they get the patient policy.
        return retry.call("uploading a file", () -> {
            long start = from[0];
            int skip = (int) (start - offset);
            StalledUploads.Progress progress = new StalledUploads.Progress();
            Request put = new Request.Builder().url(url)
                    .header("Content-Range", "bytes " + start + "-" + (offset + length - 1) + "/" + size)
                    .header("client-request-id", UUID.randomUUID().toString())
                    .put(fragmentBody(buffer, skip, length - skip, progress)).build();
            okhttp3.Call call = uploads.newCall(put);
            try (StalledUploads.Watch watched = StalledUploads.watch(call, progress, uploadStall);
                 Response response = call.execute()) {
                byte[] answer = response.body() == null ? new byte[0] : response.body().bytes();
                int status = response.code();
                if (status == 200 || status == 201 || status == 202) {
                    metrics.count("graph.upload.bytes", length - skip);
                }
                if (status == 200 || status == 201) {
                    return parse(answer, DriveItem::createFromDiscriminatorValue);
                }
                if (status == 202) {
                    return null;
                }
                if (status == 416) {
                    resync(url, from, offset, length); // it already has some of these bytes
                    throw new PluginException(ErrorKind.UNAVAILABLE, "The upload lost its place; resuming");
                }
                if (status >= 500) {
                    resync(url, from, offset, length); // it may have kept part of this fragment
                }
                throw failure(response, answer, "uploading a file");
            } catch (IOException dropped) {
                resync(url, from, offset, length);
                throw progress.explain(dropped, uploadStall);
            }
        }, tokens::refused);
    }

    /** What an answer other than success means, from its status, its error body and its Retry-After. */
    private static PluginException failure(Response response, byte[] answer, String what) {
        ODataError error = answer.length == 0 ? null : parse(answer, ODataError::createFromDiscriminatorValue);
        return GraphErrors.forStatus(response.code(), error == null || error.getError() == null ? ""
                        : String.valueOf(error.getError().getCode()), "",
                error == null || error.getError() == null ? "" : String.valueOf(error.getError().getMessage()),
                response.header("Retry-After") == null ? null
                        : GraphErrors.parseRetryAfter(response.header("Retry-After")), what, null);
    }

    /**
     * A fragment's bytes, handed to the socket 64 KiB at a time. OkHttp's own byte-array body gives Okio the whole
     * fragment in one write, which copies it into a fresh 10 MiB of buffer segments before any is sent (Okio's pool
     * keeps only 64 KiB): a gigabyte's upload allocated a gigabyte and kept the collector busy. Written in pieces,
     * the same few segments go round.
     */
    private static RequestBody fragmentBody(byte[] buffer, int offset, int length, StalledUploads.Progress progress) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return OCTETS;
            }

            @Override
            public long contentLength() {
                return length;
            }

            @Override
            public void writeTo(okio.BufferedSink sink) throws IOException {
                try {
                    for (int done = 0; done < length; ) {
                        progress.moved();
                        int n = Math.min(64 * 1024, length - done);
                        sink.write(buffer, offset + done, n);
                        done += n;
                    }
                    sink.flush(); // the last bytes too, while watched
                } finally {
                    progress.idle();
                }
            }
        };
    }

    /** Asks the session which bytes it expects next, so a retry sends only those. */
    private void resync(String url, long[] from, long offset, int length) {
        try (Response response = uploads.newCall(new Request.Builder().url(url).get().build()).execute()) {
            if (response.code() != 200 || response.body() == null) {
                return;
            }
            UploadSession status = parse(response.body().bytes(), UploadSession::createFromDiscriminatorValue);
            if (status.getNextExpectedRanges() == null || status.getNextExpectedRanges().isEmpty()) {
                return;
            }
            long expected = Long.parseLong(status.getNextExpectedRanges().get(0).split("-")[0]);
            if (expected < offset || expected > offset + length) {
                throw new PluginException(ErrorKind.UNAVAILABLE, "The upload session expects byte " + expected
                        + ", which this upload no longer has; start the upload again.");
            }
            from[0] = expected;
        } catch (IOException unreachable) {
            // keep the current position; the retry will find out
        }
    }

    private void cancel(String url) {
        try (Response ignored = uploads.newCall(new Request.Builder().url(url).delete().build()).execute()) {
            log.info("Cancelled an unfinished upload session");
        } catch (IOException e) {
            log.info("Could not cancel an upload session ({}); it expires by itself", e.getMessage());
        }
    }

    static <T extends com.microsoft.kiota.serialization.Parsable> T parse(
            byte[] json, com.microsoft.kiota.serialization.ParsableFactory<T> factory) {
        try {
            return new JsonParseNodeFactory().getParseNode("application/json", new ByteArrayInputStream(json))
                    .getObjectValue(factory);
        } catch (RuntimeException e) {
            throw new PluginException(ErrorKind.UNAVAILABLE, "Microsoft 365 sent an answer that could not be read", e);
        }
    }
}
