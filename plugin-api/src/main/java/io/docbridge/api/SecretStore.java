package io.docbridge.api;

import java.util.List;
import java.util.Optional;

/**
 * Secrets of one plugin (tokens, token caches, client secrets), encrypted at rest by the host. Values never appear
 * in logs or pages. Safe for concurrent use; each call is atomic. Every method throws {@link PluginException}
 * {@link ErrorKind#UNAVAILABLE} if the host cannot reach its store, or a stored secret no longer decrypts (the
 * host's secret key changed); nothing else.
 */
public interface SecretStore {

    /** Saves a secret, replacing any earlier value under the key. */
    void put(String key, String secret);

    /** The secret under the key, if there is one. */
    Optional<String> get(String key);

    /** Removes the secret; removing a missing key is not an error. */
    void delete(String key);

    /** Removes every secret whose key starts with the prefix (all of one connection, say). */
    void deleteAll(String keyPrefix);

    /**
     * Removes the secret and returns it, atomically: of several callers at once (on several host instances too),
     * exactly one gets it. For one-time values, such as a pending sign-in.
     */
    Optional<String> take(String key);

    /** The keys that start with the prefix, in no particular order (to find what has expired, say). */
    List<String> keys(String keyPrefix);
}
