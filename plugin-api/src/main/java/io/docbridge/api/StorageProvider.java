package io.docbridge.api;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * A configured place where revision files live. Implementations must be safe for concurrent use: the host calls
 * them from request threads and scheduled tasks at once.
 *
 * <p>Every method may throw {@link PluginException}; besides the kinds each method names,
 * {@link ErrorKind#AUTHENTICATION_EXPIRED}, {@link ErrorKind#ACCESS_DENIED}, {@link ErrorKind#THROTTLED},
 * {@link ErrorKind#UNAVAILABLE} and {@link ErrorKind#TIMED_OUT} may come from any call to a remote service.
 */
public interface StorageProvider extends AutoCloseable {

    /** Tells {@link #put} that the content's length is not known in advance. */
    long UNKNOWN_SIZE = -1;

    /**
     * The {@link #put} metadata key for when the file last changed where it came from (the uploader's computer), as
     * an ISO-8601 instant such as {@code 2021-08-09T10:11:12Z}. A provider that keeps file times stores it as the
     * file's modified time, so the document's date survives the upload; absent when the host does not know it.
     */
    String MODIFIED = "modified";

    /**
     * Stores a file, reading {@code content} to its end. Streams: never holds the whole file in memory. Either the
     * whole file is stored or nothing is (a failure part-way leaves no partial file at the path).
     *
     * @param path     where, in the host's logical terms; the provider maps it to its layout
     * @param content  the bytes; read to the end but not closed (the caller closes it)
     * @param size     the exact number of bytes, or {@link #UNKNOWN_SIZE}
     * @param metadata descriptive pairs (title, project, revision, {@link #MODIFIED}) a provider may store
     *                 alongside; may be empty
     * @return where it was stored
     * @throws PluginException {@link ErrorKind#CONFLICT} if a file already exists at the path (a stored revision is
     *                         never overwritten); {@link ErrorKind#INVALID_INPUT} if {@code content} is shorter
     *                         or longer than a known {@code size}; {@link ErrorKind#TOO_LARGE} over the provider's
     *                         limit; {@link ErrorKind#NAME_NOT_ALLOWED} for a name the provider cannot make legal
     */
    StoredObject put(ObjectPath path, InputStream content, long size, Map<String, String> metadata);

    /**
     * Opens a stored file for reading. The caller closes the stream.
     *
     * @param key as returned by {@link #put}
     * @throws PluginException {@link ErrorKind#NOT_FOUND} if nothing is stored under the key
     */
    InputStream open(String key);

    /**
     * Deletes a stored file. Deleting a key that holds nothing is not an error: the file is gone either way.
     *
     * @param key as returned by {@link #put}
     */
    void delete(String key);

    /**
     * The key of the file stored at a path, if one is: how the host finds a file it asked {@link #put} to store but
     * never recorded (the host stopped between the two), to remove it at its next start. A provider that cannot look
     * paths up keeps the default, and such a file is then left behind (the host logs its path).
     *
     * @param path as given to {@link #put}
     * @return the key {@link #put} returned for it, or empty if nothing is stored there
     */
    default Optional<String> keyAt(ObjectPath path) {
        return Optional.empty();
    }

    /**
     * Proves the provider works end to end: writes a small probe file, reads it back byte for byte and deletes it.
     * Never throws; a failure is reported in the result, with {@link Health.Status#NEEDS_RECONNECT} when signing in
     * again would fix it.
     */
    Health verify();

    /**
     * The current state without touching the remote service, for a badge; a provider that knows its sign-in
     * failed reports {@link Health.Status#NEEDS_RECONNECT} here. The default knows nothing.
     */
    default Health health() {
        return new Health(Health.Status.UNKNOWN, "Not verified yet", java.time.Instant.EPOCH);
    }

    /** Releases connections and threads. The host calls it when the instance is removed or reconfigured. */
    @Override
    default void close() {
    }
}
