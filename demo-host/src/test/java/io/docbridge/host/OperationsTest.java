package io.docbridge.host;

import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a platform team's load balancer and Prometheus read: liveness, readiness and metrics; and what a rolling
 * restart needs: a stopping instance finishes the requests it is answering.
 */
class OperationsTest {
    @TempDir
    Path root;
    final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(TestHost host, String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(host.url(path));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthReadinessAndMetricsBehindTheirToken() throws Exception {
        try (TestHost host = TestHost.start(root, c -> c.withMetricsToken("scrape-me-0123456789"))) {
            assertEquals(200, get(host, "/healthz", null).statusCode());
            HttpResponse<String> ready = get(host, "/readyz", null);
            assertEquals(200, ready.statusCode());
            assertEquals("database ok\nplugins started\n", ready.body());

            host.admin().get("/settings/storage");
            host.host().checkStorageHealthNow();
            assertEquals(401, get(host, "/metrics", null).statusCode());
            assertEquals(401, get(host, "/metrics", "wrong").statusCode());
            String metrics = get(host, "/metrics", "scrape-me-0123456789").body();
            for (String series : new String[]{"http_server_requests_seconds_count{area=\"settings\",method=\"GET\","
                    + "status=\"200\"}", "hikaricp_connections_max{pool=\"docbridge\"} 10.0", "jvm_memory_used_bytes",
                    "docbridge_task_runs_seconds_count{outcome=\"succeeded\",task=\"host:storage-health\"}"}) {
                long deadline = System.currentTimeMillis() + 10_000;
                while (!metrics.contains(series) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100); // the health check runs in the background
                    metrics = get(host, "/metrics", "scrape-me-0123456789").body();
                }
                assertTrue(metrics.contains(series), series + " not in:\n" + metrics);
            }
        }
    }

    @Test
    void withoutATokenThereAreNoMetricsAndReadinessFollowsTheDatabase() throws Exception {
        try (TestHost host = TestHost.start(root)) {
            assertEquals(404, get(host, "/metrics", null).statusCode());

            host.host().database().pool().close(); // as if the database went away
            HttpResponse<String> ready = get(host, "/readyz", null);
            assertEquals(503, ready.statusCode());
            assertEquals("database unreachable\nplugins started\n", ready.body());
            assertEquals(200, get(host, "/healthz", null).statusCode(), "alive, only not ready");
        }
    }

    @Test
    void graphRequestsOfThePluginsAreCountedByPluginMethodAndStatus() throws Exception {
        try (TestHost host = TestHost.withMicrosoftPlugins(root, c -> c.withMetricsToken("scrape-me-0123456789"),
                "sharepoint-plugin.zip")) {
            // App-only access lists the tenant's sites through Graph, from the plugin loaded out of its zip.
            WebClient admin = host.admin();
            admin.get(admin.linkOn("/settings/storage/add/sharepoint", "app-only"));
            String metrics = get(host, "/metrics", "scrape-me-0123456789").body();
            assertTrue(metrics.matches("(?s).*graph_requests_total\\{method=\"GET\",plugin=\"sharepoint\","
                    + "status=\"\\d{3}\"} [1-9].*"), metrics);
            assertTrue(metrics.contains("graph_request_duration_seconds_count{method=\"GET\",plugin=\"sharepoint\"}"),
                    metrics);
        }
    }

    @Test
    void aStoppingHostFinishesTheRequestItIsReading() throws Exception {
        TestHost host = TestHost.start(root);
        String form = "username=admin&password=wrong";
        try (java.net.Socket socket = new java.net.Socket(host.url("/").getHost(), host.url("/").getPort())) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            // A form that arrives slowly, as from a phone on a poor network: half of it now...
            out.write(("POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded"
                    + "\r\nContent-Length: " + form.length() + "\r\n\r\n" + form.substring(0, 10))
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300); // the host is reading it
            java.util.concurrent.CompletableFuture<Void> stopping = java.util.concurrent.CompletableFuture.runAsync(
                    host::close);
            Thread.sleep(300);
            // ...and the rest while the host stops: it still answers.
            out.write(form.substring(10).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();

            assertTrue(statusLine != null && statusLine.startsWith("HTTP/1.1 403"), "the answer was cut off: "
                    + statusLine); // 403: a form without its security token
            stopping.get(1, java.util.concurrent.TimeUnit.MINUTES);
        }
    }
}
