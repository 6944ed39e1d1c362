package io.docbridge.emulator.graph;

import io.docbridge.emulator.graph.DriveStore.Item;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pre-authenticated download links (https://learn.microsoft.com/en-us/graph/api/driveitem-get-content): good for an
 * hour and for the content they were made for (a newer version makes them 404), needing no token, honouring
 * {@code Range}; served on another of the emulator's host names, as Graph's are on a files host.
 */
final class Downloads {
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private record Download(String driveId, String itemId, long contentVersion, Instant expires) {
    }

    private final DriveStore store;
    private final Clock clock;
    private final Faults faults;
    private final List<String> hostNames;
    /** By token; forgotten an hour after they were made, used or not. */
    private final Map<String, Download> downloads;

    Downloads(DriveStore store, Clock clock, Faults faults, List<String> hostNames) {
        this.store = store;
        this.clock = clock;
        this.faults = faults;
        this.hostNames = hostNames;
        this.downloads = io.docbridge.emulator.Expiring.map(clock, LIFETIME);
    }

    /** A new pre-authenticated link to an item's content as it is now, on another host name than the caller's. */
    String url(HttpServletRequest req, Item item) {
        String token = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        downloads.put(token, new Download(item.driveId(), item.id(), item.contentVersion(),
                clock.instant().plus(LIFETIME)));
        return Wire.filesBase(req, hostNames) + "_download/" + token;
    }

    /** GET or HEAD on a download link: the content, or the Range asked for (206), or 416. */
    void serve(HttpServletRequest req, HttpServletResponse resp, String token) throws IOException {
        Download d = downloads.get(token);
        if (d == null || d.expires().isBefore(clock.instant())) {
            throw new GraphException(401, "unauthenticated", "The download link has expired; request a new one.");
        }
        Item item = store.item(d.driveId(), d.itemId());
        if (item.contentVersion() != d.contentVersion() || item.content() == null) {
            throw GraphException.itemNotFound();
        }
        long size = item.size();
        long start = 0;
        long end = size - 1;
        String range = req.getHeader("Range");
        Matcher m = range == null ? null : RANGE.matcher(range.trim());
        boolean partial = m != null && m.matches() && size > 0 && !(m.group(1).isEmpty() && m.group(2).isEmpty());
        if (partial) {
            if (m.group(1).isEmpty()) {
                start = Math.max(0, size - Long.parseLong(m.group(2)));
            } else {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
            }
            if (start >= size || start > end) {
                resp.setStatus(416);
                resp.setHeader("Content-Range", "bytes */" + size);
                return;
            }
            resp.setStatus(206);
            resp.setHeader("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        resp.setContentType(item.mimeType());
        resp.setHeader("Accept-Ranges", "bytes");
        resp.setHeader("ETag", item.eTag());
        resp.setContentLengthLong(end - start + 1);
        if (req.getMethod().equals("HEAD")) {
            return;
        }
        try (InputStream in = Files.newInputStream(item.content()); OutputStream out = resp.getOutputStream()) {
            in.skipNBytes(start);
            long remaining = end - start + 1;
            byte[] buffer = new byte[64 * 1024];
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                remaining -= n;
                faults.afterBytesWritten(req, out, n);
            }
        }
    }
}
