package io.docbridge.host.drives;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.ExternalDrive;
import io.docbridge.api.ExternalDriveType;
import io.docbridge.api.PluginException;
import io.docbridge.api.PushMessage;
import io.docbridge.api.PushSubscription;
import io.micrometer.core.instrument.MeterRegistry;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Push sync: each drive whose service can push has a subscription there, so a change is synced within seconds
 * instead of at the next scheduled sync. The service POSTs to {@code /notifications/<type id>} on the host's public
 * address; a notification whose clientState matches the drive's starts that drive's sync (a burst costs at most one
 * extra run), anything else is ignored. Subscriptions are made when a drive is added, renewed a day before they
 * end, made again when the service lost them (after a restart of either side), and removed on Disconnect. When
 * the service cannot reach the host, the drive says so and its schedule, which always runs, keeps it in sync.
 *
 * <p>State lives in {@code drive_push}, so every instance of a cluster answers notifications for every drive.
 */
public final class PushSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PushSync.class);
    /** How long a subscription is asked for: short enough that a lost one heals itself within days. */
    static final Duration LIFETIME = Duration.ofDays(3);
    /** Renewed when less than this is left; the check runs hourly, so there is time for several tries. */
    static final Duration RENEW_BEFORE = Duration.ofDays(1);
    public static final String TASK = "host:push-subscriptions";
    static final String ON = "on";
    static final String FAILED = "failed";
    static final String UNSUPPORTED = "unsupported";

    /** What the host answers a service's request: a status, and a plain-text body (empty for none). */
    public record Answer(int status, String body) {
    }

    /** How push stands across all drives, for the Integrations page. */
    public record Summary(int on, int failed, String lastFailure, String notificationBase) {
    }

    private final Jdbi db;
    private final ExternalDrives drives;
    private final URI publicBase;
    private final Clock clock;
    private final MeterRegistry meters;
    private final SecureRandom random = new SecureRandom();
    /** Subscribing waits for the service to call back; done off the request thread that added the drive. */
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "push-subscribe");
        t.setDaemon(true);
        return t;
    });

    PushSync(Jdbi db, ExternalDrives drives, URI publicBase, Clock clock, MeterRegistry meters) {
        this.db = db;
        this.drives = drives;
        this.publicBase = publicBase;
        this.clock = clock;
        this.meters = meters;
    }

    /** The address a type's service posts its notifications to. */
    String notificationUrl(String typeId) {
        return publicBase.resolve("notifications/" + typeId).toString();
    }

    /** Subscribes a new drive soon, off the caller's thread; the hourly check does it if this instance stops first. */
    void subscribeSoon(String driveId) {
        background.execute(() -> {
            try {
                subscribe(driveId);
            } catch (RuntimeException e) {
                log.warn("Subscribing drive {} to change notifications failed", driveId, e);
            }
        });
    }

    /** Subscribes a drive now (anew if it had a subscription), recording the outcome. */
    void subscribe(String driveId) {
        Optional<DriveRecord> record = drives.find(driveId);
        if (record.isEmpty()) {
            return;
        }
        String clientState = token();
        ExternalDrive drive;
        try {
            drive = drives.drive(driveId);
            Optional<PushSubscription> made = drive.subscribe(notificationUrl(record.get().typeId()), clientState,
                    clock.instant().plus(LIFETIME));
            if (made.isEmpty()) {
                save(driveId, null, clientState, null, UNSUPPORTED, "");
                return;
            }
            save(driveId, made.get().id(), clientState, made.get().expires(), ON, "");
            log.info("Drive {} gets change notifications until {}", driveId, made.get().expires());
        } catch (PluginException e) {
            String reason = e.kind() == ErrorKind.INVALID_INPUT
                    ? record.get().typeName() + " could not reach " + notificationUrl(record.get().typeId())
                    + " (" + e.getMessage() + ")"
                    : e.kind().title() + ": " + e.getMessage();
            save(driveId, null, clientState, null, FAILED, reason);
            log.warn("Push sync is off for drive {}: {}", driveId, reason);
        }
    }

    /**
     * The hourly check: renews subscriptions that end within a day, and subscribes drives that have none or whose
     * last try failed. Returns a summary for the task's status.
     */
    public String maintain() {
        Instant now = clock.instant();
        List<Map.Entry<String, String>> due = db.withHandle(h -> h.createQuery(
                        "SELECT drive_id, subscription_id FROM drive_push WHERE status = :on AND expires_at < :soon")
                .bind("on", ON).bind("soon", now.plus(RENEW_BEFORE).atOffset(ZoneOffset.UTC))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).list());
        int renewed = 0;
        for (Map.Entry<String, String> row : due) {
            try {
                PushSubscription s = drives.drive(row.getKey()).renew(row.getValue(), now.plus(LIFETIME));
                db.useHandle(h -> h.createUpdate("UPDATE drive_push SET expires_at = :e, updated_at = :now "
                                + "WHERE drive_id = :d").bind("e", s.expires().atOffset(ZoneOffset.UTC))
                        .bind("now", now.atOffset(ZoneOffset.UTC)).bind("d", row.getKey()).execute());
                renewed++;
            } catch (PluginException e) {
                // The service lost it (expired, or its side restarted): a new one. Anything else is retried next hour.
                if (e.kind() == ErrorKind.NOT_FOUND) {
                    subscribe(row.getKey());
                } else {
                    log.warn("Renewing the subscription of drive {} failed: {}", row.getKey(), e.getMessage());
                }
            }
        }
        List<String> missing = db.withHandle(h -> h.createQuery("SELECT d.id FROM external_drives d "
                        + "LEFT JOIN drive_push p ON p.drive_id = d.id WHERE p.drive_id IS NULL OR p.status = :failed")
                .bind("failed", FAILED).mapTo(String.class).list());
        missing.forEach(this::subscribe);
        return "Renewed " + renewed + ", subscribed " + missing.size();
    }

    /** Ends a drive's subscription (Disconnect); the row goes with the drive. */
    void unsubscribe(String driveId, ExternalDrive drive) {
        db.withHandle(h -> h.createQuery("SELECT subscription_id FROM drive_push WHERE drive_id = :d AND status = :on")
                        .bind("d", driveId).bind("on", ON).mapTo(String.class).findOne())
                .ifPresent(id -> {
                    try {
                        drive.unsubscribe(id);
                    } catch (PluginException e) {
                        log.info("The subscription of disconnected drive {} was not ended ({}); it expires by "
                                + "itself and its notifications are ignored", driveId, e.getMessage());
                    }
                });
        db.useHandle(h -> h.createUpdate("DELETE FROM drive_push WHERE drive_id = :d").bind("d", driveId).execute());
    }

    /**
     * Answers what a service sent to {@code /notifications/<typeId>}: the validation handshake, or change hints,
     * each checked against the drive's clientState before its sync starts. Quick: the service waits for it.
     */
    public Answer received(String typeId, Map<String, String> query, byte[] body) {
        Optional<ExternalDriveType> type = drives.type(typeId);
        Optional<PushMessage> message = type.flatMap(t -> t.readPush(query, body));
        if (message.isEmpty()) {
            return new Answer(400, "");
        }
        if (message.get() instanceof PushMessage.Validation validation) {
            return new Answer(200, validation.answer());
        }
        for (PushMessage.Hint hint : ((PushMessage.Changed) message.get()).hints()) {
            Optional<Map.Entry<String, String>> row = db.withHandle(h -> h.createQuery(
                            "SELECT drive_id, client_state_hash FROM drive_push WHERE subscription_id = :s")
                    .bind("s", hint.subscriptionId()).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .findOne());
            String outcome;
            if (row.isEmpty()) {
                outcome = "unknown";
            } else if (!MessageDigest.isEqual(hash(hint.clientState()).getBytes(StandardCharsets.US_ASCII),
                    row.get().getValue().getBytes(StandardCharsets.US_ASCII))) {
                outcome = "forged";
                log.warn("Ignored a change notification for drive {} whose clientState does not match",
                        row.get().getKey());
            } else {
                outcome = "accepted";
                drives.syncSoon(row.get().getKey());
            }
            meters.counter("docbridge.push.notifications", "outcome", outcome).increment();
        }
        return new Answer(202, "");
    }

    /** How push stands, for administrators; one grouped query over an indexed column. */
    public Summary summary() {
        Map<String, Integer> counts = new java.util.HashMap<>();
        db.useHandle(h -> h.createQuery("SELECT status, COUNT(*) FROM drive_push GROUP BY status")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2))).forEach(e -> counts.put(e.getKey(), e.getValue())));
        String lastFailure = counts.getOrDefault(FAILED, 0) == 0 ? "" : db.withHandle(h -> h.createQuery(
                        "SELECT message FROM drive_push WHERE status = :failed ORDER BY updated_at DESC")
                .bind("failed", FAILED).setMaxRows(1).mapTo(String.class).findFirst().orElse(""));
        return new Summary(counts.getOrDefault(ON, 0), counts.getOrDefault(FAILED, 0), lastFailure,
                publicBase.resolve("notifications/").toString());
    }

    /** A drive's push state for its page: on, off with the reason, or empty where the service has no push. */
    public Optional<String> problem(String driveId) {
        return db.withHandle(h -> h.createQuery("SELECT message FROM drive_push WHERE drive_id = :d AND status = :f")
                .bind("d", driveId).bind("f", FAILED).mapTo(String.class).findOne());
    }

    private void save(String driveId, String subscriptionId, String clientState, Instant expires, String status,
                      String message) {
        String trimmed = message.length() > 1000 ? message.substring(0, 1000) : message;
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        db.useTransaction(h -> {
            if (h.createQuery("SELECT COUNT(*) FROM external_drives WHERE id = :d").bind("d", driveId)
                    .mapTo(Integer.class).one() == 0) {
                return; // disconnected meanwhile
            }
            h.createUpdate("DELETE FROM drive_push WHERE drive_id = :d").bind("d", driveId).execute();
            h.createUpdate("INSERT INTO drive_push (drive_id, subscription_id, client_state_hash, expires_at, status, "
                            + "message, updated_at) VALUES (:d, :s, :c, :e, :st, :m, :now)")
                    .bind("d", driveId).bind("s", subscriptionId).bind("c", hash(clientState))
                    .bindByType("e", expires == null ? null : expires.atOffset(ZoneOffset.UTC), OffsetDateTime.class).bind("st", status)
                    .bind("m", trimmed).bind("now", now).execute();
        });
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String clientState) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(clientState.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops subscribing, and waits (briefly) for a subscription under way: it runs plugin code. */
    @Override
    public void close() {
        background.shutdownNow();
        try {
            if (!background.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                log.warn("A push subscription was still being made when the host stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
