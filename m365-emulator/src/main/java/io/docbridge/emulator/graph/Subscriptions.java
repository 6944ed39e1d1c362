package io.docbridge.emulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docbridge.emulator.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Change notifications for drives, as Graph sends them (https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks):
 * a subscription on a drive's root with changeType {@code updated} is created only after its notificationUrl answers
 * the validation request (a POST with {@code validationToken}, answered within 10 seconds with the token as
 * text/plain); then every change in the drive is POSTed to that URL with the subscription's id, clientState and
 * expiry. Changes close together go in one notification, as Graph batches them. A delivery that fails is retried
 * with a growing wait. A subscription lasts at most 42,300 minutes (under 30 days) for a driveItem
 * (https://learn.microsoft.com/en-us/graph/api/resources/subscription), can be renewed by PATCH and ends by DELETE.
 * Drives send no lifecycle notifications, so neither does this. Notifications carry no item data: they are hints to
 * read delta.
 */
public final class Subscriptions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);
    /** The longest a driveItem subscription may last. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(42_300);
    private static final Duration VALIDATION_TIME = Duration.ofSeconds(10);

    /** A subscription as the emulator keeps it. */
    public record Subscription(String id, String driveId, String resource, String notificationUrl, String clientState,
                               Instant expires, String appId, String creatorId, String tenantId) {
    }

    /** Where a subscription's deliveries stand: the drive's change position last notified, and retry timing. */
    private static final class Delivery {
        long notifiedSeq;
        int failures;
        Instant nextAttempt = Instant.MIN;
    }

    private final DriveStore store;
    private final Clock clock;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    private final HttpClient http;
    private final ScheduledExecutorService notifier = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "emulator-notifications");
        t.setDaemon(true);
        return t;
    });

    public Subscriptions(DriveStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        notifier.scheduleWithFixedDelay(this::deliverSafely, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** The subscriptions that exist now (expired ones are gone). */
    public List<Subscription> list() {
        forgetExpired();
        return List.copyOf(subscriptions.values());
    }

    /**
     * Creates a subscription after its URL passed validation.
     *
     * @param body the request body: changeType, notificationUrl, expirationDateTime, clientState
     */
    Subscription create(JsonNode body, DriveStore.Drive drive, String resource, String appId, String creatorId,
                        String tenantId) {
        String changeType = body.path("changeType").asText("");
        if (!changeType.equals("updated")) {
            throw invalid("Only the 'updated' changeType is supported for a driveItem; got '" + changeType + "'.");
        }
        String url = body.path("notificationUrl").asText("");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw invalid("The notificationUrl is not a URL.");
        }
        // Graph requires HTTPS; a loopback address may use plain HTTP here, so the offline demo needs no certificate.
        boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw invalid("Subscription notification URL must use https.");
        }
        String clientState = body.path("clientState").asText(null);
        if (clientState != null && clientState.length() > 128) {
            throw invalid("clientState must not be longer than 128 characters.");
        }
        Instant expires = expiry(body);
        validate(url);
        Subscription created = new Subscription(UUID.randomUUID().toString(), drive.id(), resource, url, clientState,
                expires, appId, creatorId, tenantId);
        Delivery delivery = new Delivery();
        delivery.notifiedSeq = store.position(drive.id()).seq();
        deliveries.put(created.id(), delivery);
        subscriptions.put(created.id(), created);
        return created;
    }

    /** PATCH: a new expirationDateTime. */
    Subscription renew(String id, String appId, JsonNode body) {
        Subscription s = get(id, appId);
        Subscription renewed = new Subscription(s.id(), s.driveId(), s.resource(), s.notificationUrl(), s.clientState(),
                expiry(body), s.appId(), s.creatorId(), s.tenantId());
        subscriptions.put(id, renewed);
        return renewed;
    }

    void delete(String id, String appId) {
        get(id, appId);
        subscriptions.remove(id);
        deliveries.remove(id);
    }

    /** Forgets a subscription without telling anyone, as a service that lost it would (tests of recovery). */
    public void lose(String id) {
        subscriptions.remove(id);
        deliveries.remove(id);
    }

    Subscription get(String id, String appId) {
        forgetExpired();
        Subscription s = subscriptions.get(id);
        if (s == null || !s.appId().equals(appId)) {
            throw new GraphException(404, "ResourceNotFound", "The object was not found.");
        }
        return s;
    }

    List<Subscription> ofApp(String appId) {
        return list().stream().filter(s -> s.appId().equals(appId)).toList();
    }

    ObjectNode json(Subscription s) {
        return Json.object().put("id", s.id()).put("resource", s.resource()).put("applicationId", s.appId())
                .put("changeType", "updated").put("clientState", s.clientState())
                .put("notificationUrl", s.notificationUrl()).putNull("lifecycleNotificationUrl")
                .put("expirationDateTime", Wire.ISO.format(s.expires())).put("creatorId", s.creatorId())
                .put("includeResourceData", false).put("latestSupportedTlsVersion", "v1_2");
    }

    private Instant expiry(JsonNode body) {
        Instant expires;
        try {
            expires = OffsetDateTime.parse(body.path("expirationDateTime").asText("")).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid("expirationDateTime is required, as an ISO 8601 date and time.");
        }
        Instant now = clock.instant();
        if (!expires.isAfter(now)) {
            throw invalid("Subscription expiration must be in the future.");
        }
        if (expires.isAfter(now.plus(MAX_LIFETIME).plusSeconds(60))) {
            throw invalid("Subscription expiration can only be 42300 minutes in the future.");
        }
        return expires;
    }

    /** The validation request: POST ?validationToken=…, expecting 200 and the token back as text within 10 s. */
    private void validate(String url) {
        String token = "Validation: Testing client application reachability for subscription Request-Id: "
                + UUID.randomUUID();
        String target = url + (url.contains("?") ? "&" : "?") + "validationToken="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(target))
                    .timeout(VALIDATION_TIME).header("Content-Type", "text/plain; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw invalid("Subscription validation request failed. Notification endpoint must respond with "
                        + "200 OK to validation request.");
            }
            if (!answer.body().equals(token)) {
                throw invalid("Subscription validation request failed. Response must exactly match "
                        + "validationToken query parameter.");
            }
        } catch (java.io.IOException e) {
            throw invalid("Subscription validation request failed. Notification endpoint must respond with 200 OK "
                    + "to validation request (it could not be reached: " + e.getClass().getSimpleName() + ").");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw invalid("Subscription validation request was interrupted.");
        }
    }

    private static GraphException invalid(String message) {
        return new GraphException(400, "InvalidRequest", message);
    }

    private void forgetExpired() {
        Instant now = clock.instant();
        subscriptions.values().removeIf(s -> {
            boolean expired = !s.expires().isAfter(now);
            if (expired) {
                deliveries.remove(s.id());
            }
            return expired;
        });
    }

    private void deliverSafely() {
        try {
            deliver();
        } catch (RuntimeException e) {
            log.warn("Delivering change notifications failed", e);
        }
    }

    /** Notifies every subscription whose drive changed since its last notification (due for a try). */
    private void deliver() {
        forgetExpired();
        Instant now = clock.instant();
        for (Subscription s : subscriptions.values()) {
            Delivery d = deliveries.get(s.id());
            if (d == null || now.isBefore(d.nextAttempt)) {
                continue;
            }
            long seq;
            try {
                seq = store.position(s.driveId()).seq();
            } catch (GraphException driveGone) {
                continue;
            }
            if (seq <= d.notifiedSeq) {
                continue;
            }
            if (post(s)) {
                d.notifiedSeq = seq;
                d.failures = 0;
                d.nextAttempt = Instant.MIN;
            } else {
                d.failures++;
                d.nextAttempt = now.plusSeconds(Math.min(60, 1L << Math.min(d.failures, 6)));
            }
        }
    }

    private boolean post(Subscription s) {
        ObjectNode body = Json.object();
        ArrayNode value = body.putArray("value");
        value.addObject().put("subscriptionId", s.id()).put("clientState", s.clientState())
                .put("subscriptionExpirationDateTime", Wire.ISO.format(s.expires())).put("changeType", "updated")
                .put("resource", s.resource()).put("tenantId", s.tenantId()).putNull("resourceData");
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(s.notificationUrl()))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() / 100 == 2;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        notifier.shutdownNow();
    }
}
