package io.docbridge.host.services;

import io.docbridge.api.SettingsStore;
import io.docbridge.host.db.Upsert;
import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One plugin's plain settings, in the {@code plugin_settings} table. */
final class DbSettingsStore implements SettingsStore {
    private final Jdbi db;
    private final String pluginId;

    DbSettingsStore(Jdbi db, String pluginId) {
        this.db = db;
        this.pluginId = pluginId;
    }

    @Override
    public void put(String key, String value) {
        StoreFailures.guard("saving a setting", () -> {
            db.useTransaction(h -> Upsert.run(h, "plugin_settings", Map.of("plugin_id", pluginId, "name", key),
                    Map.of("setting_value", value)));
        });
    }

    @Override
    public Optional<String> get(String key) {
        return StoreFailures.guard("reading a setting", () -> {
            return db.withHandle(h -> h.createQuery("SELECT setting_value FROM plugin_settings WHERE plugin_id = :p AND name = :k")
                    .bind("p", pluginId).bind("k", key).mapTo(String.class).findOne());
        });
    }

    @Override
    public void delete(String key) {
        StoreFailures.guard("deleting a setting", () -> {
            db.useHandle(h -> h.createUpdate("DELETE FROM plugin_settings WHERE plugin_id = :p AND name = :k")
                    .bind("p", pluginId).bind("k", key).execute());
        });
    }

    @Override
    public Map<String, String> all(String keyPrefix) {
        return StoreFailures.guard("reading settings", () -> {
            Map<String, String> result = new LinkedHashMap<>();
            db.useHandle(h -> h.createQuery("SELECT name, setting_value FROM plugin_settings WHERE plugin_id = :p "
                            + "AND LEFT(name, :n) = :prefix ORDER BY name")
                    .bind("p", pluginId).bind("n", keyPrefix.length()).bind("prefix", keyPrefix)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> result.put(e.getKey(), e.getValue())));
            return result;
        });
    }
}
