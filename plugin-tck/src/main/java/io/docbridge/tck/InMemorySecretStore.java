package io.docbridge.tck;

import io.docbridge.api.SecretStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Test support: a {@link SecretStore} in a map (no encryption), for plugin tests without a host. */
public final class InMemorySecretStore implements SecretStore {
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    @Override
    public void put(String key, String secret) {
        secrets.put(key, secret);
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(secrets.get(key));
    }

    @Override
    public void delete(String key) {
        secrets.remove(key);
    }

    @Override
    public void deleteAll(String keyPrefix) {
        secrets.keySet().removeIf(k -> k.startsWith(keyPrefix));
    }

    @Override
    public Optional<String> take(String key) {
        return Optional.ofNullable(secrets.remove(key));
    }

    @Override
    public List<String> keys(String keyPrefix) {
        return secrets.keySet().stream().filter(k -> k.startsWith(keyPrefix)).toList();
    }

    /** How many secrets are stored. */
    public int size() {
        return secrets.size();
    }
}
