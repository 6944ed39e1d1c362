package io.docbridge.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.docbridge.emulator.graph.DriveStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Change notifications on a drive, from Graph's documentation: the validation handshake
 * (https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks), a notification per change with
 * clientState, subscriptionId and subscriptionExpirationDateTime, the 42,300-minute limit for a driveItem
 * (https://learn.microsoft.com/en-us/graph/api/resources/subscription), renewal by PATCH and removal by DELETE.
 * The receiving end is a plain HTTP server on loopback, standing in for an application.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionsTest {
    Contoso contoso;
    String token;
    HttpClient http;
    HttpServer receiver;
    String receiverUrl;
    /** What the receiver answers to a validation request: the token (right), or something else. */
    final AtomicReference<String> validationAnswer = new AtomicReference<>("echo");
    final BlockingQueue<String> validations = new LinkedBlockingQueue<>();
    final BlockingQueue<JsonNode> notifications = new LinkedBlockingQueue<>();

    @BeforeAll
    void start() throws Exception {
        contoso = new Contoso();
        token = contoso.adeleToken();
        http = HttpClient.newBuilder().sslContext(contoso.emulator.clientSslContext()).build();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            byte[] answer;
            int status = 202;
            if (query != null && query.startsWith("validationToken=")) {
                String sent = URLDecoder.decode(query.substring("validationToken=".length()), StandardCharsets.UTF_8);
                validations.add(sent);
                String mode = validationAnswer.get();
                answer = (mode.equals("echo") ? sent : mode).getBytes(StandardCharsets.UTF_8);
                status = mode.equals("fail") ? 500 : 200;
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
            } else {
                notifications.add(Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
                answer = new byte[0];
            }
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        receiver.start();
        receiverUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @BeforeEach
    void reset() {
        validationAnswer.set("echo");
        validations.clear();
        notifications.clear();
    }

    @AfterAll
    void stop() {
        receiver.stop(0);
        contoso.close();
    }

    HttpResponse<String> graph(String method, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(contoso.emulator.graphUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String subscription(String resource, Instant expires, String clientState) {
        return "{\"changeType\":\"updated\",\"notificationUrl\":\"" + receiverUrl + "/" + clientState
                + "\",\"resource\":\"" + resource
                + "\",\"expirationDateTime\":\"" + expires + "\",\"clientState\":\"" + clientState + "\"}";
    }

    /** The next notification for one subscription (others' are skipped), or null after the wait. */
    JsonNode notificationFor(String subscriptionId, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            JsonNode next = notifications.poll(left, TimeUnit.NANOSECONDS);
            if (next != null && next.path("value").get(0).path("subscriptionId").asText().equals(subscriptionId)) {
                return next;
            }
        }
        return null;
    }

    void change(String name) {
        DriveStore drives = contoso.emulator.drives();
        drives.commitFile(contoso.documents.id(), drives.rootId(contoso.documents.id()), name,
                drives.stage(new ByteArrayInputStream(name.getBytes(StandardCharsets.UTF_8))), "replace",
                DriveStore.Actor.SYSTEM);
    }

    @Test
    void aSubscriptionIsCreatedAfterTheHandshakeAndEveryChangeIsNotified() throws Exception {
        Instant expires = Instant.now().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

        HttpResponse<String> created = graph("POST", "/subscriptions", subscription("/drives/"
                + contoso.documents.id() + "/root", expires, "secret-state"));

        assertEquals(201, created.statusCode(), created.body());
        assertNotNull(validations.poll(1, TimeUnit.SECONDS), "the URL was validated before the subscription was made");
        JsonNode sub = Json.MAPPER.readTree(created.body());
        assertEquals(expires.toString(), sub.path("expirationDateTime").asText());

        change("notified.txt");
        JsonNode notification = notificationFor(sub.path("id").asText(), Duration.ofSeconds(5));
        assertNotNull(notification, "a change is notified within seconds");
        JsonNode value = notification.path("value").get(0);
        assertEquals(sub.path("id").asText(), value.path("subscriptionId").asText());
        assertEquals("secret-state", value.path("clientState").asText());
        assertEquals("updated", value.path("changeType").asText());
        assertEquals(expires.toString(), value.path("subscriptionExpirationDateTime").asText());

        // Renewal by PATCH moves the expiry; DELETE ends it, and no more notifications come.
        Instant later = expires.plus(Duration.ofDays(5));
        HttpResponse<String> renewed = graph("PATCH", "/subscriptions/" + sub.path("id").asText(),
                "{\"expirationDateTime\":\"" + later + "\"}");
        assertEquals(later.toString(), Json.MAPPER.readTree(renewed.body()).path("expirationDateTime").asText());
        assertEquals(204, graph("DELETE", "/subscriptions/" + sub.path("id").asText(), null).statusCode());
        assertEquals(404, graph("GET", "/subscriptions/" + sub.path("id").asText(), null).statusCode());
        change("after-delete.txt");
        assertNull(notificationFor(sub.path("id").asText(), Duration.ofSeconds(1)));
    }

    @Test
    void aUrlThatFailsTheHandshakeGetsNoSubscription() throws Exception {
        String body = subscription("/drives/" + contoso.documents.id() + "/root", Instant.now().plus(Duration.ofDays(1)),
                "refused");
        validationAnswer.set("fail");
        HttpResponse<String> failing = graph("POST", "/subscriptions", body);
        validationAnswer.set("not the token");
        HttpResponse<String> wrong = graph("POST", "/subscriptions", body);

        assertEquals(400, failing.statusCode());
        assertTrue(failing.body().contains("Subscription validation request failed"), failing.body());
        assertEquals(400, wrong.statusCode());
        assertTrue(wrong.body().contains("must exactly match validationToken"), wrong.body());
        assertEquals(0, contoso.emulator.subscriptions().list().stream()
                .filter(s -> s.notificationUrl().equals(receiverUrl + "/refused")).count());
    }

    @Test
    void aDriveItemSubscriptionLastsAtMost42300MinutesAndThenIsGone() throws Exception {
        String resource = "/drives/" + contoso.documents.id() + "/root";
        HttpResponse<String> tooLong = graph("POST", "/subscriptions", subscription(resource,
                Instant.now().plus(Duration.ofMinutes(42_300 + 10)), "s"));
        assertEquals(400, tooLong.statusCode());
        assertTrue(tooLong.body().contains("42300 minutes"), tooLong.body());

        HttpResponse<String> created = graph("POST", "/subscriptions", subscription(resource,
                Instant.now().plus(Duration.ofHours(1)), "s"));
        String id = Json.MAPPER.readTree(created.body()).path("id").asText();
        contoso.emulator.clock().advance(Duration.ofHours(2));
        try {
            assertTrue(contoso.emulator.subscriptions().list().stream().noneMatch(s -> s.id().equals(id)));
        } finally {
            contoso.emulator.clock().advance(Duration.ofHours(-2));
        }
    }

    @Test
    void onlyTheRootOfADriveTheCallerReadsMayBeWatched() throws Exception {
        Instant expires = Instant.now().plus(Duration.ofDays(1));
        assertEquals(400, graph("POST", "/subscriptions", subscription("/drives/" + contoso.documents.id()
                + "/items/abc", expires, "s")).statusCode());
        assertEquals(403, graph("POST", "/subscriptions", subscription("/drives/" + contoso.nestorDrive.id()
                + "/root", expires, "s")).statusCode());
        assertEquals(400, graph("POST", "/subscriptions", subscription("/drives/" + contoso.documents.id()
                + "/root", expires, "s").replace("\"updated\"", "\"created\"")).statusCode());
    }
}
