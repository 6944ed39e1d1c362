package io.docbridge.host.services;

import io.docbridge.api.SecretStore;
import io.docbridge.host.db.Upsert;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One plugin's secrets, encrypted in the {@code plugin_secrets} table. */
final class DbSecretStore implements SecretStore {
    private final Jdbi db;
    private final SecretCipher cipher;
    private final String pluginId;

    DbSecretStore(Jdbi db, SecretCipher cipher, String pluginId) {
        this.db = db;
        this.cipher = cipher;
        this.pluginId = pluginId;
    }

    private String slot(String key) {
        return pluginId + "\n" + key;
    }

    @Override
    public void put(String key, String secret) {
        StoreFailures.guard("saving a secret", () -> {
            String sealed = cipher.encrypt(slot(key), secret);
            db.useTransaction(h -> Upsert.run(h, "plugin_secrets", Map.of("plugin_id", pluginId, "name", key),
                    Map.of("ciphertext", sealed)));
        });
    }

    @Override
    public Optional<String> get(String key) {
        return StoreFailures.guard("reading a secret", () -> {
            return db.withHandle(h -> h.createQuery("SELECT ciphertext FROM plugin_secrets WHERE plugin_id = :p AND name = :k")
                    .bind("p", pluginId).bind("k", key).mapTo(String.class).findOne())
                    .map(sealed -> cipher.decrypt(slot(key), sealed));
        });
    }

    @Override
    public void delete(String key) {
        StoreFailures.guard("deleting a secret", () -> {
            db.useHandle(h -> h.createUpdate("DELETE FROM plugin_secrets WHERE plugin_id = :p AND name = :k")
                    .bind("p", pluginId).bind("k", key).execute());
        });
    }

    @Override
    public void deleteAll(String keyPrefix) {
        StoreFailures.guard("deleting secrets", () -> {
            db.useHandle(h -> h.createUpdate("DELETE FROM plugin_secrets WHERE plugin_id = :p AND LEFT(name, :n) = :prefix")
                    .bind("p", pluginId).bind("n", keyPrefix.length()).bind("prefix", keyPrefix).execute());
        });
    }

    /** Read and delete in one transaction: a second taker's delete waits for the first and then finds no row. */
    @Override
    public Optional<String> take(String key) {
        return StoreFailures.guard("taking a secret", () -> {
            return db.inTransaction(h -> {
                Optional<String> sealed = h.createQuery("SELECT ciphertext FROM plugin_secrets WHERE plugin_id = :p "
                        + "AND name = :k").bind("p", pluginId).bind("k", key).mapTo(String.class).findOne();
                int deleted = h.createUpdate("DELETE FROM plugin_secrets WHERE plugin_id = :p AND name = :k")
                        .bind("p", pluginId).bind("k", key).execute();
                return deleted == 1 ? sealed.map(v -> cipher.decrypt(slot(key), v)) : Optional.<String>empty();
            });
        });
    }

    @Override
    public List<String> keys(String keyPrefix) {
        return StoreFailures.guard("listing secrets", () -> {
            return db.withHandle(h -> h.createQuery("SELECT name FROM plugin_secrets WHERE plugin_id = :p "
                            + "AND LEFT(name, :n) = :prefix").bind("p", pluginId).bind("n", keyPrefix.length())
                    .bind("prefix", keyPrefix).mapTo(String.class).list());
        });
    }
}
