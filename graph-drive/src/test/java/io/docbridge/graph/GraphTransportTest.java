package io.docbridge.graph;

import io.docbridge.api.Metrics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
