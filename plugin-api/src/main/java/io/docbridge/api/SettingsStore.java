package io.docbridge.api;

import java.util.Map;
import java.util.Optional;

/**
 * Plain (not secret) settings of one plugin. Safe for concurrent use; each call is atomic. Every method throws
 * {@link PluginException} {@link ErrorKind#UNAVAILABLE} if the host cannot reach its store; nothing else.
 */
public interface SettingsStore {

    void put(String key, String value);

    Optional<String> get(String key);

    void delete(String key);

    /** Every setting whose key starts with the prefix. */
    Map<String, String> all(String keyPrefix);
}
