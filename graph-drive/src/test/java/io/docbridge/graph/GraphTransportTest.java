package io.docbridge.graph;

import io.docbridge.api.Metrics;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.tck.Bytes;
import io.docbridge.tck.InMemorySecretStore;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A plugin's Graph clients share one connection pool per cloud and tenant, however many drives they serve. */
class GraphTransportTest {

    @Test
    void aThousandDriveClientsOfOneTenantShareOneTransport() {
        try (Tenant t = new Tenant()) {
            GraphTransport first = GraphTransport.of(t.connection);
            int transports = GraphTransport.count();
            for (int i = 0; i < 1000; i++) {
                DriveClient.connect(t.connection, () -> "token", DriveClient.ANSWER_TIME, Metrics.NONE);
            }

            assertEquals(transports, GraphTransport.count());
            assertSame(first, GraphTransport.of(t.connection));
            assertSame(first.graph.connectionPool(), first.graph.newBuilder().build().connectionPool(),
                    "clients derived from it share its pool");
            GraphConnection otherTenant = new GraphConnection(t.connection.cloud(), "another-tenant",
                    t.connection.clientId(), t.connection.clientSecret(), t.connection.extraCaPem());
            assertNotSame(first, GraphTransport.of(otherTenant));
        }
    }

    @Test
    void aDownloadThatStopsArrivingFailsOnceTheReadTimeoutPasses() throws Exception {
        // Reads of an HTTP/1.1 body are guarded by the socket's timeout alone (Okio's per-read watchdog is off for
        // them): a connection that hangs without closing must still fail the download, not keep it waiting.
        try (Tenant t = new Tenant()) {
            MicrosoftSignIn signIn = t.signIn(new InMemorySecretStore());
            var scopes = MicrosoftSignIn.filesAndSites(t.connection.cloud());
            DriveClient client = DriveClient.connect(t.connection, () -> signIn.accessToken(scopes),
                    Duration.ofSeconds(1), Metrics.NONE);
            byte[] content = Bytes.stream(3, 4 << 20).readAllBytes();
            String itemId = t.emulator.drives().commitFile(t.documents.id(), t.emulator.drives().rootId(
                    t.documents.id()), "hangs.bin", t.emulator.drives().stage(new ByteArrayInputStream(content)),
                    "fail", DriveStore.Actor.SYSTEM).item().id();
            t.emulator.faults().stallNextDownloadAfter(1 << 20, Duration.ofSeconds(8));

            long started = System.nanoTime();
            try (InputStream in = client.download(t.documents.id(), itemId)) {
                IOException failed = assertThrows(IOException.class, in::readAllBytes);
                assertTrue(failed instanceof java.net.SocketTimeoutException
                        || failed.getCause() instanceof java.net.SocketTimeoutException, failed.toString());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "the stalled download failed only after " + took);

            try (InputStream in = client.download(t.documents.id(), itemId)) { // the next one is whole
                assertArrayEquals(content, in.readAllBytes());
            }
        }
    }

    @Test
    void http11BodiesAreReadWithoutOkiosPerReadWatchdog() throws Exception {
        try (Tenant t = new Tenant()) {
            okhttp3.Request request = new okhttp3.Request.Builder().url(t.connection.cloud().graph() + "/me").build();
            try (okhttp3.Response response = GraphTransport.of(t.connection).graph.newCall(request).execute()) {
                assertEquals(okhttp3.Protocol.HTTP_1_1, response.protocol());
                assertEquals(0, response.body().source().timeout().timeoutNanos(),
                        "each read schedules and wakes Okio's watchdog");
            }
        }
    }

    @Test
    void graphClientsSpeakHttp11EvenToAServerThatOffersHttp2() throws Exception {
        // OkHttp takes HTTP/2 wherever a server offers it, and a bulk download then cost twice the CPU. The emulator
        // speaks only HTTP/1.1, so this server offers both.
        try (Http2Server server = new Http2Server(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  Callback callback) {
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap(request.getConnectionMetaData().getProtocol()
                        .getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        })) {
            String url = server.url();
            GraphTransport transport = GraphTransport.of(server.connection());
            for (okhttp3.OkHttpClient client : List.of(transport.graph, transport.uploads)) {
                try (okhttp3.Response response = client.newCall(new okhttp3.Request.Builder().url(url).build())
                        .execute()) {
                    assertEquals(okhttp3.Protocol.HTTP_1_1, response.protocol());
                    assertEquals("HTTP/1.1", response.body().string(), "what the server saw");
                }
            }
        }
    }

    @Test
    void noWholeCallDeadlineCutsALongDownload() {
        // The Graph SDK's client factory gives every call 100 seconds from start to end; a download's body is read
        // within that call, so a 1 GiB revision over a slow link (or 50 people reading at once) was cut part-way.
        // What guards a call is the time allowed between two reads, not a deadline for the whole body.
        try (Tenant t = new Tenant()) {
            GraphTransport transport = GraphTransport.of(t.connection);

            assertEquals(0, transport.graph.callTimeoutMillis(), "a whole-call deadline");
            assertEquals(0, transport.uploads.callTimeoutMillis(), "a whole-call deadline");
            assertTrue(transport.graph.readTimeoutMillis() > 0, "no limit between two reads");
        }
    }
}
