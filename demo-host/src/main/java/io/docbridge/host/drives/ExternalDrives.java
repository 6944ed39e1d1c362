package io.docbridge.host.drives;

import io.docbridge.api.DriveChange;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.ExternalDrive;
import io.docbridge.api.ExternalDriveType;
import io.docbridge.host.drives.FileIndex;
import io.docbridge.api.HostContext;
import io.docbridge.api.InstanceSettings;
import io.docbridge.api.PluginException;
import io.docbridge.api.SettingsException;
import io.docbridge.api.TaskProgress;
import io.docbridge.host.tasks.TaskStatus;
import io.docbridge.host.auth.User;
import io.docbridge.host.tasks.HostScheduler;
import io.docbridge.host.services.HostServices;
import io.docbridge.host.plugins.PluginSystem;
import io.docbridge.host.web.InputException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The external drives people connected: their settings in the database, live instances from the plugins' types,
 * and a sync task each (the change feed into the file index) that runs on its interval and on Sync Now.
 * Disconnecting forgets the drive, its tokens and its index; the remote files are never touched.
 */
public final class ExternalDrives implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExternalDrives.class);

    private final Jdbi db;
    private final PluginSystem plugins;
    private final HostServices services;
    private final FileIndex index;
    private final HostScheduler scheduler;
    private final Clock clock;
    /** Live drives by id, made again after a plugin reload; a drive's settings do not change once it is added. */
    private final io.docbridge.host.plugins.LiveInstances<ExternalDrive> live =
            new io.docbridge.host.plugins.LiveInstances<>();
    private final PushSync push;
    private final DeletionLimit limit = DeletionLimit.DEFAULT;
    /** What a drive's last sync left for its person (the attention column), kept across restarts. */
    private static final String HELD = "held";
    private static final String SIGNED_OUT = "signed-out";
    /**
     * The person confirmed the removals a held sync found: the next sync, on whichever instance it runs, applies
     * them; a successful sync clears it.
     */
    private static final String REMOVALS_CONFIRMED = "confirmed";


    public ExternalDrives(Jdbi db, PluginSystem plugins, HostServices services, FileIndex index, HostScheduler scheduler,
                          Clock clock) {
        this.db = db;
        this.plugins = plugins;
        this.services = services;
        this.index = index;
        this.scheduler = scheduler;
        this.clock = clock;
        this.push = new PushSync(db, this, services.publicBaseUrl(), clock, services.meters());
    }

    /** Change notifications: subscriptions, and what services send to the host. */
    public PushSync push() {
        return push;
    }

    public List<ExternalDriveType> types() {
        return plugins.extensions(ExternalDriveType.class).stream()
                .sorted(Comparator.comparing(ExternalDriveType::displayName)).toList();
    }

    public DrivePolicy policy() {
        return new DrivePolicy(services.forPlugin(HostServices.HOST_ID).settings());
    }

    /** The types a person may connect now: every running one, unless an administrator turned personal drives off. */
    public List<ExternalDriveType> offered() {
        return policy().personalDrives() ? types() : List.of();
    }

    /** A type a person may connect now (see {@link #offered()}). */
    public Optional<ExternalDriveType> offeredType(String typeId) {
        return offered().stream().filter(t -> t.id().equals(typeId)).findFirst();
    }

    /** The types an administrator may connect once for everyone. */
    public List<ExternalDriveType> organisationTypes() {
        return types().stream().filter(ExternalDriveType::organisationWide).toList();
    }

    public Optional<ExternalDriveType> type(String typeId) {
        return types().stream().filter(t -> t.id().equals(typeId)).findFirst();
    }

    public HostContext contextOf(ExternalDriveType type) {
        return services.forPlugin(plugins.pluginOf(type).orElse(HostServices.HOST_ID));
    }

    /**
     * Connects a drive for a person from submitted settings (after the type checked them) and starts its first
     * sync. Returns its id.
     */
    public String create(User owner, String typeId, String name, Map<String, String> submitted) {
        return create(owner, typeId, name, submitted, false);
    }

    /**
     * Connects a drive an administrator shares with everyone (see {@link ExternalDriveType#organisationWide()}).
     * Personal-drive policy does not apply: the administrator decides. Returns its id.
     */
    public String createForOrganisation(User admin, String typeId, String name, Map<String, String> submitted) {
        if (!admin.orgAdmin()) {
            throw new IllegalArgumentException("only an administrator connects drives for the organisation");
        }
        return create(admin, typeId, name, submitted, true);
    }

    private String create(User owner, String typeId, String name, Map<String, String> submitted, boolean organisation) {
        Optional<ExternalDriveType> offered = organisation
                ? organisationTypes().stream().filter(t -> t.id().equals(typeId)).findFirst() : offeredType(typeId);
        ExternalDriveType type = offered.orElseThrow(() -> new InputException("type",
                "Integration not available: no running plugin offers " + typeId + ". Ask your administrator."));
        String display = name == null || name.isBlank() ? type.displayName() : name.trim();
        if (display.length() > 200) {
            throw new InputException("name", "A name has at most 200 characters.");
        }
        Map<String, String> values;
        try {
            values = new HashMap<>(type.validate(Map.copyOf(submitted), owner.asPlatformUser(), contextOf(type)));
        } catch (SettingsException e) {
            throw new InputException(e.field(), e.getMessage());
        }
        String id = UUID.randomUUID().toString();
        ExternalDrive drive = type.create(new InstanceSettings(id, values), contextOf(type));
        String rootId = drive.root().id();
        db.useTransaction(h -> {
            h.createUpdate("INSERT INTO external_drives (id, user_id, type_id, name, root_id, created_at, organisation) "
                            + "VALUES (:id, :u, :t, :n, :r, :now, :o)")
                    .bind("id", id).bind("u", owner.id()).bind("t", typeId).bind("n", display).bind("r", rootId)
                    .bind("o", organisation)
                    .bind("now", clock.instant().atOffset(ZoneOffset.UTC)).execute();
            for (var e : values.entrySet()) {
                h.createUpdate("INSERT INTO external_drive_settings (drive_id, name, setting_value) VALUES (:d, :n, :v)")
                        .bind("d", id).bind("n", e.getKey()).bind("v", e.getValue()).execute();
            }
        });
        live.put(id, type, null, drive);
        schedule(id, 15);
        scheduler.runNow(taskKey(id));
        push.subscribeSoon(id);
        log.info("External drive {} ({}) connected by {}{}", display, id, owner.username(),
                organisation ? " for the organisation" : "");
        return id;
    }

    /**
     * Schedules every connected drive's sync (at start), and tells the scheduler how to sync a drive another
     * instance added since.
     */
    public void scheduleAll() {
        scheduler.resolve(TASK_PREFIX, key -> Optional.of(progress -> sync(key.substring(TASK_PREFIX.length()),
                progress)));
        db.withHandle(h -> h.createQuery("SELECT id, sync_minutes FROM external_drives")
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2))).list())
                .forEach(e -> schedule(e.getKey(), e.getValue()));
        // Push subscriptions: renewed before they end, made again where the service lost them (checked at start too)
        scheduler.schedule(PushSync.TASK, Duration.ofHours(1), progress -> push.maintain());
        scheduler.runNow(PushSync.TASK);
        scheduler.schedule(INDEX_REMOVALS, Duration.ofMinutes(10), this::removeIndexesOfDisconnectedDrives);
    }

    /** The host task that removes disconnected drives' indexes; a disconnect asks for a run at once. */
    public static final String INDEX_REMOVALS = "host:drive-index-removals";
    /**
     * How long a disconnected drive is looked at again after its index is gone, for pages that a sync running at
     * the disconnect wrote afterwards (a sync reads its drive to the end once it has started).
     */
    static final Duration REMOVAL_WATCH = Duration.ofHours(1);

    /** One run of {@link #INDEX_REMOVALS}: each disconnected drive's index, a turn at a time. */
    public String removeIndexesOfDisconnectedDrives(TaskProgress progress) {
        List<Map.Entry<String, Instant>> removals = db.withHandle(h -> h.createQuery(
                        "SELECT drive_id, requested_at FROM drive_index_removals")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()))
                .list());
        long removed = 0;
        for (Map.Entry<String, Instant> removal : removals) {
            int turn;
            do {
                turn = index.removeSome(removal.getKey(), FileIndex.TURN);
                removed += turn;
                progress.report(removed, removed, "Removed " + removed + " items of disconnected drives");
            } while (turn > 0);
            if (removal.getValue().isBefore(clock.instant().minus(REMOVAL_WATCH))) {
                db.useHandle(h -> h.createUpdate("DELETE FROM drive_index_removals WHERE drive_id = :d")
                        .bind("d", removal.getKey()).execute());
            }
        }
        return removed == 0 ? "Nothing to remove" : "Removed " + removed + " items of disconnected drives";
    }

    private void schedule(String id, int minutes) {
        scheduler.schedule(taskKey(id), Duration.ofMinutes(minutes),
                progress -> sync(id, progress));
    }

    private String sync(String id, TaskProgress progress) {
        try {
            String result = new DriveSync(id, drive(id), index, removalsConfirmed(id) ? DeletionLimit.NONE : limit)
                    .run(progress);
            attention(id, null);
            return result;
        } catch (PluginException e) {
            if (e.kind() == ErrorKind.AUTHENTICATION_EXPIRED) {
                attention(id, SIGNED_OUT);
            }
            throw e;
        } catch (DriveSync.Held e) {
            attention(id, HELD);
            log.warn("Sync of drive {} held: {} of {} items would be removed", id, e.removals(), e.indexed());
            return e.getMessage();
        }
    }

    /**
     * The person confirmed that the removals a held sync found are wanted: the next sync applies them whatever
     * their number. Removals are from the index only; the drive is never touched.
     */
    public void confirmRemovals(String id) {
        attention(id, REMOVALS_CONFIRMED);
        syncNow(id);
    }

    private boolean removalsConfirmed(String id) {
        return db.withHandle(h -> h.createQuery("SELECT attention FROM external_drives WHERE id = :id")
                .bind("id", id).mapTo(String.class).findOne()).map(REMOVALS_CONFIRMED::equals).orElse(false);
    }

    private void attention(String id, String what) {
        db.useHandle(h -> h.createUpdate("UPDATE external_drives SET attention = :a WHERE id = :id")
                .bind("a", what).bind("id", id).execute());
    }

    private static final String TASK_PREFIX = "host:drive-sync/";

    private static String taskKey(String id) {
        return TASK_PREFIX + id;
    }

    /** How often a person may have a drive synced, in minutes: from every 15 minutes to daily. */
    public static final List<Integer> SYNC_INTERVALS = List.of(15, 30, 60, 240, 1440);

    /** Changes how often the drive syncs by itself. */
    public void setSyncInterval(String id, int minutes) {
        if (!SYNC_INTERVALS.contains(minutes)) {
            throw new InputException("minutes", "Choose one of the offered intervals.");
        }
        db.useHandle(h -> h.createUpdate("UPDATE external_drives SET sync_minutes = :m WHERE id = :id")
                .bind("m", minutes).bind("id", id).execute());
        if (!scheduler.reschedule(taskKey(id), Duration.ofMinutes(minutes))) {
            schedule(id, minutes);
        }
    }

    /** The notifications of one second start one sync: services send them in bursts. */
    static final Duration NOTIFICATIONS_COALESCE = Duration.ofSeconds(1);

    /** Syncs a drive within a second, or right after the sync that is running (a change notification arrived). */
    public void syncSoon(String id) {
        scheduler.runSoon(taskKey(id), NOTIFICATIONS_COALESCE);
    }

    /** Starts a sync now; false if one is already running. */
    public boolean syncNow(String id) {
        return scheduler.runNow(taskKey(id));
    }

    /** The drives a person sees in My Files: their own and the organisation's. */
    public List<DriveRecord> forUser(long userId) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM external_drives WHERE user_id = :u OR organisation "
                        + "ORDER BY organisation DESC, created_at")
                .bind("u", userId).map((rs, ctx) -> map(rs)).list());
    }

    /** The drives administrators connected for everyone. */
    public List<DriveRecord> forOrganisation() {
        return db.withHandle(h -> h.createQuery("SELECT * FROM external_drives WHERE organisation ORDER BY created_at")
                .map((rs, ctx) -> map(rs)).list());
    }

    public Optional<DriveRecord> find(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM external_drives WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    /** The live drive, created on first use from its saved settings. */
    public ExternalDrive drive(String id) {
        DriveRecord record = find(id).orElseThrow(() -> new PluginException(ErrorKind.NOT_FOUND, "No such drive"));
        ExternalDriveType type = type(record.typeId()).orElseThrow(() -> new PluginException(ErrorKind.UNAVAILABLE,
                "Integration not available: the " + record.typeId() + " plugin is not running. Ask your administrator."));
        return live.get(id, type, null, () -> type.create(new InstanceSettings(id, settings(id)), contextOf(type)));
    }

    private Map<String, String> settings(String id) {
        Map<String, String> values = new HashMap<>();
        db.useHandle(h -> h.createQuery("SELECT name, setting_value FROM external_drive_settings WHERE drive_id = :d")
                .bind("d", id).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> values.put(e.getKey(), e.getValue())));
        return values;
    }

    /**
     * Records an item the person just changed through Docbridge in the index at once, so the page shows it before
     * the next sync (which will list it again, harmlessly). Before the first sync has finished, a sync is started
     * instead.
     */
    public void changed(String id, DriveChange change) {
        Optional<String> cursor = index.cursor(id);
        if (cursor.isPresent()) {
            index.apply(id, List.of(change), cursor.get());
        } else {
            syncNow(id);
        }
    }

    /**
     * Forgets a drive: its sync, its index, its settings, and (through its type) its sign-in's tokens unless another
     * drive uses them. Remote files are not touched.
     */
    public void disconnect(String id) {
        DriveRecord record = find(id).orElseThrow(() -> new InputException("drive", "No such drive."));
        scheduler.forget(taskKey(id));
        try {
            push.unsubscribe(id, drive(id));
        } catch (PluginException e) {
            log.info("Drive {}'s change notifications were not ended ({}); they expire by themselves", id,
                    e.getMessage());
        }
        live.remove(id);
        InstanceSettings settings = new InstanceSettings(id, settings(id));
        Optional<ExternalDriveType> type = type(record.typeId());
        type.ifPresent(t -> contextOf(t).secrets().deleteAll(id + "/"));
        // The drive's index leaves in turns, in the background (INDEX_REMOVALS): on H2 a drive of 100,000 items
        // takes seconds, which this request does not wait for.
        db.useTransaction(h -> {
            h.createUpdate("DELETE FROM external_drives WHERE id = :id").bind("id", id).execute();
            h.createUpdate("INSERT INTO drive_index_removals (drive_id, requested_at) VALUES (:id, :now)")
                    .bind("id", id).bind("now", clock.instant().atOffset(ZoneOffset.UTC)).execute();
        });
        scheduler.runSoon(INDEX_REMOVALS, Duration.ZERO);
        type.ifPresent(t -> {
            List<InstanceSettings> remaining = db.withHandle(h -> h.createQuery(
                            "SELECT id FROM external_drives WHERE type_id = :t").bind("t", record.typeId())
                    .mapTo(String.class).list()).stream().map(other -> new InstanceSettings(other, settings(other)))
                    .toList();
            try {
                t.disconnected(settings, remaining, contextOf(t));
            } catch (RuntimeException e) {
                log.warn("The {} plugin failed to let go of disconnected drive {}", record.typeId(), id, e);
            }
        });
        log.info("External drive {} ({}) disconnected; remote files untouched", record.name(), id);
    }

    /**
     * Where a drive's plugin signs it in again, handing back to the setup {@code setup}: a path under the host;
     * empty if its type has no sign-in (or its plugin is not running).
     */
    public Optional<String> reconnectPath(String id, String setup) {
        return find(id).flatMap(record -> type(record.typeId())).flatMap(t -> reconnectPath(id, t, setup));
    }

    private Optional<String> reconnectPath(String id, ExternalDriveType type, String setup) {
        return Optional.ofNullable(type.reconnectPath(new InstanceSettings(id, settings(id)), setup))
                .map(path -> "/plugins/" + plugins.pluginOf(type).orElse(HostServices.HOST_ID) + "/" + path);
    }

    /** Reconnect starts at the host, which opens a setup for the plugin's sign-in to hand back to. */
    private String reconnectUrl(String id, Optional<ExternalDriveType> type) {
        return type.flatMap(t -> reconnectPath(id, t, "")).map(path -> "/files/" + id + "/reconnect").orElse("");
    }

    private DriveRecord map(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        String typeId = rs.getString("type_id");
        Optional<ExternalDriveType> type = type(typeId);
        TaskStatus sync = scheduler.status(taskKey(id))
                .orElse(new TaskStatus(false, 0, 0, "Not synced yet", false, null));
        return new DriveRecord(id, rs.getLong("user_id"), typeId, type.map(ExternalDriveType::displayName).orElse(typeId),
                rs.getString("name"), rs.getString("root_id"), type.isPresent(), rs.getInt("sync_minutes"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), sync, HELD.equals(rs.getString("attention")),
                SIGNED_OUT.equals(rs.getString("attention")) ? reconnectUrl(id, type) : "", rs.getBoolean("organisation"));
    }

    @Override
    public void close() {
        push.close();
        live.close();
    }
}
