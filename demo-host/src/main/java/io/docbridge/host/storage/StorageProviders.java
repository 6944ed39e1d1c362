package io.docbridge.host.storage;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.Health;
import io.docbridge.api.HostContext;
import io.docbridge.api.InstanceSettings;
import io.docbridge.api.PlatformUser;
import io.docbridge.api.PluginException;
import io.docbridge.api.SettingField;
import io.docbridge.api.SettingsException;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StorageProviderType;
import io.docbridge.host.services.HostServices;
import io.docbridge.host.plugins.PluginSystem;
import io.docbridge.host.web.InputException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The configured storage providers: their settings in the database, their live instances created from the types
 * that the host and running plugins offer, the default, and each one's last health.
 */
public final class StorageProviders implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageProviders.class);
    public static final String HOST_PLUGIN_ID = HostServices.HOST_ID;

    private final Jdbi db;
    private final PluginSystem plugins;
    private final HostServices services;
    private final LocalDiskStorageType localDisk;
    private final Clock clock;
    /** Live instances by provider id, made again after an Edit (on any instance) or a plugin reload. */
    private final io.docbridge.host.plugins.LiveInstances<StorageProvider> live =
            new io.docbridge.host.plugins.LiveInstances<>();


    public StorageProviders(Jdbi db, PluginSystem plugins, HostServices services, LocalDiskStorageType localDisk,
                            Clock clock) {
        this.db = db;
        this.plugins = plugins;
        this.services = services;
        this.localDisk = localDisk;
        this.clock = clock;
    }

    /** The first Local disk provider's id: fixed, so instances starting at once on one database make it once. */
    static final String FIRST_ID = "00000000-0000-0000-0000-000000000001";

    /**
     * On first start: a Local disk provider in the data folder, as the default. Safe when several instances start
     * at once on one database: the fixed id lets only one insert succeed. A database left without a default (a
     * start killed in between) gets its oldest provider as the default.
     */
    public void ensureDefault() {
        boolean none = db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM storage_providers").mapTo(Long.class)
                .one()) == 0;
        if (none) {
            try {
                insert(FIRST_ID, LocalDiskStorageType.ID, "Local disk", Map.of(LocalDiskStorageType.FOLDER, "files"),
                        HOST);
            } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException raced) {
                log.info("Another instance made the first storage provider");
            }
        }
        boolean noDefault = db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM storage_providers WHERE is_default")
                .mapTo(Long.class).one()) == 0;
        if (noDefault) {
            db.withHandle(h -> h.createQuery("SELECT id FROM storage_providers ORDER BY created_at, id")
                    .mapTo(String.class).findFirst()).ifPresent(this::setDefault);
        }
    }

    /** Every type on offer: the host's own first, then the plugins', by name. */
    public List<StorageProviderType> types() {
        List<StorageProviderType> types = new ArrayList<>();
        types.add(localDisk);
        List<StorageProviderType> contributed = new ArrayList<>(plugins.extensions(StorageProviderType.class));
        contributed.sort(java.util.Comparator.comparing(StorageProviderType::displayName));
        types.addAll(contributed);
        return types;
    }

    public Optional<StorageProviderType> type(String typeId) {
        return types().stream().filter(t -> t.id().equals(typeId)).findFirst();
    }

    /** The context of the plugin that offers a type; the host's own for the built-in ones. */
    public HostContext contextOf(StorageProviderType type) {
        return services.forPlugin(plugins.pluginOf(type).orElse(HOST_PLUGIN_ID));
    }

    /**
     * Saves a new provider from submitted settings, after the type has checked them. Secret fields go to the
     * plugin's encrypted secret store. Returns the new provider's id.
     *
     * @throws InputException for a bad name or a setting the type refused (naming the field)
     */
    public String create(String typeId, String name, Map<String, String> submitted, PlatformUser by) {
        return insert(UUID.randomUUID().toString(), typeId, name, submitted, by);
    }

    /** Who configures what the host sets up by itself (its first local disk). */
    private static final PlatformUser HOST = new PlatformUser("0", HOST_PLUGIN_ID, true);

    private String insert(String id, String typeId, String name, Map<String, String> submitted, PlatformUser by) {
        StorageProviderType type = type(typeId).orElseThrow(() -> new InputException("type",
                "No running plugin offers the storage type " + typeId + "."));
        String displayName = checkedName(name);
        HostContext context = contextOf(type);
        Map<String, String> values;
        try {
            values = new HashMap<>(type.validate(Map.copyOf(submitted), by, context));
        } catch (SettingsException e) {
            throw new InputException(e.field(), e.getMessage());
        }
        keepSecrets(type, context, new InstanceSettings(id, Map.of()), values);
        db.useTransaction(h -> {
            h.createUpdate("INSERT INTO storage_providers (id, type_id, name, created_at) VALUES (:id, :t, :n, :now)")
                    .bind("id", id).bind("t", typeId).bind("n", displayName).bind("now", clock.instant()
                            .atOffset(ZoneOffset.UTC)).execute();
            insertSettings(h, id, values);
        });
        log.info("Storage provider {} ({}) created with type {}", displayName, id, typeId);
        return id;
    }

    public List<ProviderRecord> all() {
        return db.withHandle(h -> h.createQuery(SELECT + " ORDER BY p.is_default DESC, p.created_at")
                .map((rs, ctx) -> map(rs)).list());
    }

    /** One provider, by its primary key. */
    public Optional<ProviderRecord> find(String id) {
        return db.withHandle(h -> h.createQuery(SELECT + " WHERE p.id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    public ProviderRecord defaultProvider() {
        return db.withHandle(h -> h.createQuery(SELECT + " WHERE p.is_default").map((rs, ctx) -> map(rs)).findFirst())
                .orElseThrow(() -> new IllegalStateException("no default storage provider"));
    }

    /** One row per provider; its revisions are counted as they are added (revision_count), never here. */
    private static final String SELECT = "SELECT p.* FROM storage_providers p";

    /**
     * Saves an administrator's change to a provider: its name and settings, checked by its type (which refuses a
     * change that would strand stored revisions). A secret field left empty keeps the saved secret. The live
     * instance is replaced at its next use; the last health result stays until the next check.
     *
     * @throws InputException for a bad name or a setting the type refused (naming the field)
     */
    public void update(String id, String name, Map<String, String> submitted, PlatformUser by) {
        ProviderRecord record = find(id).orElseThrow(() -> new InputException("provider", "No such provider."));
        StorageProviderType type = type(record.typeId()).orElseThrow(() -> new InputException("type", "\""
                + record.name() + "\" cannot be edited while its plugin is not running."));
        String displayName = checkedName(name);
        HostContext context = contextOf(type);
        InstanceSettings saved = new InstanceSettings(id, settings(id));
        Map<String, String> form = new HashMap<>(submitted);
        for (SettingField field : type.settingFields()) {
            if (field.kind() == SettingField.Kind.SECRET && form.getOrDefault(field.name(), "").isEmpty()) {
                context.secrets().get(saved.secretKey(field.name())).ifPresent(v -> form.put(field.name(), v));
            }
        }
        Map<String, String> values;
        try {
            values = new HashMap<>(type.validateChange(saved, Map.copyOf(form), by, context));
        } catch (SettingsException e) {
            throw new InputException(e.field(), e.getMessage());
        }
        keepSecrets(type, context, saved, values);
        db.useTransaction(h -> {
            h.createUpdate("UPDATE storage_providers SET name = :n WHERE id = :id").bind("n", displayName)
                    .bind("id", id).execute();
            h.createUpdate("DELETE FROM storage_provider_settings WHERE provider_id = :id").bind("id", id).execute();
            insertSettings(h, id, values);
        });
        live.remove(id);
        log.info("Storage provider {} ({}) edited", displayName, id);
    }

    private static String checkedName(String name) {
        String displayName = name == null ? "" : name.trim();
        if (displayName.isEmpty() || displayName.length() > 200) {
            throw new InputException("name", "A name has 1 to 200 characters.");
        }
        return displayName;
    }

    /** Secret fields go to the plugin's encrypted secret store, not with the other values. */
    private static void keepSecrets(StorageProviderType type, HostContext context, InstanceSettings settings,
                                    Map<String, String> values) {
        for (SettingField field : type.settingFields()) {
            if (field.kind() == SettingField.Kind.SECRET) {
                String secret = values.remove(field.name());
                if (secret != null && !secret.isEmpty()) {
                    context.secrets().put(settings.secretKey(field.name()), secret);
                }
            }
        }
    }

    private static void insertSettings(org.jdbi.v3.core.Handle h, String id, Map<String, String> values) {
        var batch = h.prepareBatch("INSERT INTO storage_provider_settings (provider_id, name, setting_value) "
                + "VALUES (:id, :n, :v)");
        for (var e : values.entrySet()) {
            batch.bind("id", id).bind("n", e.getKey()).bind("v", e.getValue()).add();
        }
        if (!values.isEmpty()) {
            batch.execute();
        }
    }

    /**
     * The live instance of a provider, created on first use.
     *
     * @throws PluginException UNAVAILABLE if no running plugin offers its type; NOT_FOUND if there is no such provider
     */
    public StorageProvider provider(String id) {
        ProviderRecord record = find(id).orElseThrow(() -> new PluginException(ErrorKind.NOT_FOUND,
                "There is no storage provider " + id));
        StorageProviderType type = type(record.typeId()).orElseThrow(() -> new PluginException(ErrorKind.UNAVAILABLE,
                "The storage \"" + record.name() + "\" needs the " + record.typeId()
                        + " plugin, which is not running. Start it in Admin → Plugins."));
        // Settings are read each time (one row set, by key): an Edit saved by another instance of a cluster
        // replaces this instance's provider at its next use too.
        Map<String, String> settings = settings(id);
        return live.get(id, type, settings, () -> type.create(new InstanceSettings(id, settings), contextOf(type)));
    }

    private Map<String, String> settings(String id) {
        Map<String, String> values = new HashMap<>();
        db.useHandle(h -> h.createQuery("SELECT name, setting_value FROM storage_provider_settings WHERE provider_id = :id")
                .bind("id", id).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> values.put(e.getKey(), e.getValue())));
        return values;
    }

    /** Runs the provider's verification and records the result for the badge. */
    public Health verify(String id) {
        Health health;
        try {
            health = provider(id).verify();
        } catch (PluginException e) {
            health = Health.of(e, clock.instant());
        } catch (RuntimeException | LinkageError e) {
            log.warn("Verification of storage provider {} failed", id, e);
            health = Health.failed("Verification failed: " + e, clock.instant());
        }
        record(id, health);
        return health;
    }

    /**
     * Verifies every provider whose plugin is running, so a dead sign-in shows on its badge before a user's upload
     * finds it. Returns a summary for the task status.
     */
    public String checkAll() {
        int failing = 0;
        List<ProviderRecord> all = all();
        for (ProviderRecord provider : all) {
            if (provider.available() && !verify(provider.id()).ok()) {
                failing++;
            }
        }
        return all.size() + " storage provider(s) checked, " + failing + " not working";
    }

    /** Saves a health result (from a verification, or a failure seen in use). */
    public void record(String id, Health health) {
        db.useHandle(h -> h.createUpdate("""
                        UPDATE storage_providers SET health_status = :s, health_message = :m, health_checked_at = :at
                        WHERE id = :id""")
                .bind("s", health.status().name()).bind("m", truncate(health.message(), 2000))
                .bind("at", health.checkedAt().atOffset(ZoneOffset.UTC)).bind("id", id).execute());
    }

    public void setDefault(String id) {
        ProviderRecord record = find(id).orElseThrow(() -> new InputException("provider", "No such provider."));
        if (!record.available()) {
            throw new InputException("provider", "\"" + record.name() + "\" cannot be the default while its plugin "
                    + "is not running.");
        }
        db.useTransaction(h -> {
            h.createUpdate("UPDATE storage_providers SET is_default = FALSE WHERE is_default").execute();
            h.createUpdate("UPDATE storage_providers SET is_default = TRUE WHERE id = :id").bind("id", id).execute();
        });
        log.info("Storage provider {} ({}) is now the default", record.name(), id);
    }

    /**
     * Removes a provider that holds nothing. Refuses the default and any provider that revisions are stored in:
     * removing it would lose them.
     */
    public void remove(String id) {
        ProviderRecord record = find(id).orElseThrow(() -> new InputException("provider", "No such provider."));
        if (record.isDefault()) {
            throw new InputException("provider", "\"" + record.name() + "\" is the default. Make another provider "
                    + "the default first.");
        }
        if (record.revisions() > 0) {
            throw new InputException("provider", "\"" + record.name() + "\" holds " + record.revisions()
                    + " revision file(s); removing it would lose them.");
        }
        live.remove(id);
        type(record.typeId()).ifPresent(t -> contextOf(t).secrets().deleteAll(id + "/"));
        db.useHandle(h -> h.createUpdate("DELETE FROM storage_providers WHERE id = :id").bind("id", id).execute());
        log.info("Storage provider {} ({}) removed", record.name(), id);
    }

    /**
     * Where a provider's plugin signs it in again, handing back to the setup {@code setup}: a path under the host;
     * empty if its type has no sign-in (or its plugin is not running).
     */
    public Optional<String> reconnectPath(String id, String setup) {
        return find(id).flatMap(record -> type(record.typeId()))
                .flatMap(t -> reconnectPath(t, new InstanceSettings(id, settings(id)), setup));
    }

    private Optional<String> reconnectPath(StorageProviderType type, InstanceSettings settings, String setup) {
        return Optional.ofNullable(type.reconnectPath(settings, setup))
                .map(path -> "/plugins/" + plugins.pluginOf(type).orElse(HOST_PLUGIN_ID) + "/" + path);
    }

    private ProviderRecord map(ResultSet rs) throws SQLException {
        String typeId = rs.getString("type_id");
        Optional<StorageProviderType> type = type(typeId);
        OffsetDateTime checked = rs.getObject("health_checked_at", OffsetDateTime.class);
        Health health = new Health(Health.Status.valueOf(rs.getString("health_status")), rs.getString("health_message"),
                checked == null ? java.time.Instant.EPOCH : checked.toInstant());
        String id = rs.getString("id");
        InstanceSettings settings = new InstanceSettings(id, settings(id));
        // Reconnect starts at the host, which opens a setup for the plugin's sign-in to hand back to.
        String reconnect = type.flatMap(t -> reconnectPath(t, settings, "")).isPresent()
                ? "/settings/storage/" + id + "/reconnect" : "";
        Map<String, String> details = type.map(t -> summary(t, settings)).orElse(Map.of());
        return new ProviderRecord(id, typeId, type.map(StorageProviderType::displayName).orElse(typeId),
                rs.getString("name"), rs.getBoolean("is_default"), health, type.isPresent(), rs.getLong("revision_count"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), reconnect, details);
    }

    /** The type's summary; a plugin's failure here costs the card its details, not the page. */
    private static Map<String, String> summary(StorageProviderType type, InstanceSettings settings) {
        try {
            return type.summary(settings);
        } catch (RuntimeException | LinkageError e) {
            log.warn("The storage type {} could not describe provider {}", type.id(), settings.instanceId(), e);
            return Map.of();
        }
    }

    /** The saved settings, for the Edit form (never secrets: those stay in the secret store). */
    public Map<String, String> savedSettings(String id) {
        return settings(id);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    @Override
    public void close() {
        live.close();
    }
}
