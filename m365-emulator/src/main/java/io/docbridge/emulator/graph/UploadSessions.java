package io.docbridge.emulator.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docbridge.emulator.Json;
import io.docbridge.emulator.graph.DriveStore.Actor;
import io.docbridge.emulator.graph.DriveStore.Drive;
import io.docbridge.emulator.graph.DriveStore.Item;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upload sessions as Graph runs them (https://learn.microsoft.com/en-us/graph/api/driveitem-createuploadsession): fragments in order, multiples of 320 KiB below
 * 60 MiB, 202 with nextExpectedRanges, 416 on overlap, status and cancel, expiry; a fragment cut off mid-way is
 * forgotten and the session kept, so the client can resume. The content is hashed as it arrives.
 */
final class UploadSessions {
    static final long CHUNK_MULTIPLE = 320 * 1024;
    static final long MAX_CHUNK = 60L * 1024 * 1024;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final DriveStore store;
    private final Clock clock;
    private final Faults faults;
    private final ItemRenderer items;
    private final Map<String, UploadSession> uploads = new ConcurrentHashMap<>();
    private final java.util.List<String> hostNames;

    UploadSessions(DriveStore store, Clock clock, Faults faults, ItemRenderer items, java.util.List<String> hostNames) {
        this.hostNames = hostNames;
        this.store = store;
        this.clock = clock;
        this.faults = faults;
        this.items = items;
    }


    private static final class UploadSession {
        final String id;
        final String driveId;
        final String parentId;
        final String name;
        final String replaceItemId;
        final String conflict;
        final Actor actor;
        final DriveStore.FileTimes times;
        /** The Graph host name the client created the session on: links in the finished item point there. */
        final String graphHost;
        final java.nio.file.Path file;
        Instant expires;
        long received;
        /** The hash of the bytes received, kept as they arrive: finishing costs no re-read of the file. */
        QuickXorHash hash = new QuickXorHash();
        long total = -1;

        UploadSession(String id, String driveId, String parentId, String name, String replaceItemId, String conflict,
                      Actor actor, DriveStore.FileTimes times, String graphHost, java.nio.file.Path file,
                      Instant expires) {
            this.graphHost = graphHost;
            this.id = id;
            this.driveId = driveId;
            this.parentId = parentId;
            this.name = name;
            this.replaceItemId = replaceItemId;
            this.conflict = conflict;
            this.actor = actor;
            this.times = times;
            this.file = file;
            this.expires = expires;
        }
    }

    /** Starts a session for a new file in a folder, or for new content of an existing file. */
    void create(HttpServletRequest req, HttpServletResponse resp, Drive drive, String parentId, String name,
                String replaceItemId, String conflict, long declaredSize, Actor actor, DriveStore.FileTimes times)
            throws IOException {
        if (declaredSize > 0 && store.used(drive.id()) + declaredSize > drive.quotaTotal()) {
            throw new GraphException(507, "quotaLimitReached", "Insufficient Space Available");
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        java.nio.file.Path file = store.newIncomingFile();
        UploadSession session = new UploadSession(id, drive.id(), parentId, name, replaceItemId, conflict, actor, times,
                req.getServerName(), file, clock.instant().plus(Duration.ofHours(24)));
        uploads.put(id, session);
        ObjectNode json = Json.object().put("uploadUrl", Wire.filesBase(req, hostNames) + "_upload/" + id)
                .put("expirationDateTime", Wire.ISO.format(session.expires));
        json.putArray("nextExpectedRanges").add("0-");
        Json.write(resp, 200, json, "application/json");
    }

    /** Everything sent to an upload URL: a fragment (PUT), the status (GET), a cancel (DELETE). */
    void handle(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException {
        if (req.getHeader("Authorization") != null && faults.tokenOnUploadUrlRefused()) {
            // "Including the Authorization header when issuing the PUT call may result in an HTTP 401 Unauthorized
            // response": the upload URL carries its own authorization (driveitem-createuploadsession).
            throw new GraphException(401, "unauthenticated", "The upload URL is pre-authenticated: send fragments "
                    + "without an Authorization header.");
        }
        UploadSession session = uploads.get(id);
        if (session == null || session.expires.isBefore(clock.instant())) {
            if (session != null) {
                discard(session);
            }
            throw new GraphException(404, "itemNotFound", "The upload session was not found.", "uploadSessionNotFound");
        }
        switch (req.getMethod()) {
            case "GET" -> Json.write(resp, 200, sessionStatus(session), "application/json");
            case "DELETE" -> {
                discard(session);
                resp.setStatus(204);
            }
            case "PUT" -> putChunk(req, resp, session);
            default -> throw Wire.notAllowed();
        }
    }

    private void putChunk(HttpServletRequest req, HttpServletResponse resp, UploadSession session) throws IOException {
        Matcher m = CONTENT_RANGE.matcher(Optional.ofNullable(req.getHeader("Content-Range")).orElse(""));
        if (!m.matches() || m.group(3).equals("*")) {
            throw new GraphException(400, "invalidRequest", "A Content-Range header of the form bytes start-end/total "
                    + "is required.", "invalidRange");
        }
        long start = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        long total = Long.parseLong(m.group(3));
        long length = end - start + 1;
        synchronized (session) {
            if (session.total >= 0 && session.total != total) {
                throw new GraphException(400, "invalidRequest", "The byte range declares a different file size than "
                        + "earlier fragments.", "fragmentLengthMismatch");
            }
            if (length > MAX_CHUNK) {
                throw new GraphException(413, "invalidRequest", "A fragment must be smaller than 60 MiB.",
                        "maxFragmentLengthExceeded");
            }
            if (start < session.received) {
                throw new GraphException(416, "invalidRange", "Uploaded fragment overlaps with existing data.",
                        "fragmentOverlap");
            }
            if (start > session.received) {
                throw new GraphException(416, "invalidRange", "Fragments must be uploaded in order; expected bytes "
                        + session.received + "-.", "fragmentOutOfOrder");
            }
            if (end >= total) {
                throw new GraphException(400, "invalidRequest", "The fragment ends after the declared file size.",
                        "invalidRange");
            }
            if (end < total - 1 && length % CHUNK_MULTIPLE != 0) {
                throw new GraphException(400, "invalidRequest", "Fragments other than the last must be a multiple of "
                        + "320 KiB (327,680 bytes).", "fragmentLengthMismatch");
            }
            if (req.getContentLengthLong() >= 0 && req.getContentLengthLong() != length) {
                throw new GraphException(400, "invalidRequest", "Content-Length does not match Content-Range.",
                        "fragmentLengthMismatch");
            }
            session.total = total;
            QuickXorHash before = session.hash.copy(); // a fragment cut off is forgotten, and so are its bytes here
            long written = 0;
            try (InputStream in = req.getInputStream();
                 FragmentWriter out = new FragmentWriter(session.file, session.hash)) {
                while (written < length) {
                    java.nio.ByteBuffer buffer = out.buffer();
                    int n = in.read(buffer.array(), buffer.position(), (int) Math.min(buffer.remaining(),
                            length - written));
                    if (n < 0) {
                        break;
                    }
                    out.wrote(n);
                    written += n;
                    faults.afterUploadBytes(written);
                }
                out.finish();
            } catch (IOException broken) {
                forgetPartialFragment(session, before);
                throw broken;
            }
            if (written != length) {
                forgetPartialFragment(session, before);
                throw new GraphException(400, "invalidRequest", "The fragment was incomplete.", "fragmentLengthMismatch");
            }
            session.received += length;
            if (session.received < total) {
                Json.write(resp, 202, sessionStatus(session), "application/json");
                return;
            }
            uploads.remove(session.id);
            HttpServletRequest asCreated = new jakarta.servlet.http.HttpServletRequestWrapper(req) {
                @Override
                public String getServerName() {
                    return session.graphHost;
                }
            };
            DriveStore.Staged staged = new DriveStore.Staged(session.file, total, session.hash.digest());
            if (session.replaceItemId != null) {
                Item item = store.replaceContent(session.driveId, session.replaceItemId, staged, session.actor,
                        session.times, null);
                Json.write(resp, 200, items.render(asCreated, item), Wire.JSON);
            } else {
                DriveStore.Written w = store.commitFile(session.driveId, session.parentId, session.name, staged,
                        session.conflict, session.actor, session.times);
                Json.write(resp, w.created() ? 201 : 200, items.render(asCreated, w.item()), Wire.JSON);
            }
        }
    }

    /**
     * A fragment arrived incomplete (a dropped connection): forget its bytes and keep the session, so the client can
     * ask for nextExpectedRanges and resume, as Graph allows.
     */
    private static void forgetPartialFragment(UploadSession session, QuickXorHash before) throws IOException {
        session.hash = before;
        try (var channel = java.nio.channels.FileChannel.open(session.file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(session.received);
        }
    }

    private ObjectNode sessionStatus(UploadSession session) {
        ObjectNode json = Json.object().put("expirationDateTime", Wire.ISO.format(session.expires));
        json.putArray("nextExpectedRanges").add(session.received + "-");
        return json;
    }

    private void discard(UploadSession session) {
        uploads.remove(session.id);
        try {
            Files.deleteIfExists(session.file);
        } catch (IOException ignored) {
            // a leftover temporary file costs disk only
        }
    }

}
