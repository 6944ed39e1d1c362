package io.docbridge.graph;

import okhttp3.Handshake;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.TlsVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Graph traffic is encrypted by native TLS where Conscrypt ships a library for the machine, and the certificate
 * checks are the same as with the JDK's: its trusted CAs plus the connection's extra one.
 */
class NativeTlsTest {

    static boolean conscryptShipsALibraryHere() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    @Test
    @EnabledIf("conscryptShipsALibraryHere")
    void graphTrafficIsEncryptedNativelyOverTls13AndTheExtraCaIsStillChecked() throws IOException {
        try (Tenant t = new Tenant()) {
            GraphTransport transport = GraphTransport.of(t.connection);
            assertEquals("Conscrypt", Trust.of(t.connection.extraCaPem()).sslContext().getProvider().getName());

            // The emulator's certificate is signed by the connection's extra CA, which only the second of the two
            // JDK trust managers knows; under TLS 1.3 Conscrypt names the key exchange GENERIC, which the JDK's
            // managers refused ("Unknown authType") until it was translated.
            try (Response answer = transport.uploads.newCall(new Request.Builder()
                    .url(t.emulator.baseUrl().resolve("/common/v2.0/.well-known/openid-configuration").toString())
                    .build()).execute()) {
                Handshake handshake = answer.handshake();
                assertNotNull(handshake);
                assertEquals(TlsVersion.TLS_1_3, handshake.tlsVersion());
            }
        }
    }

    @Test
    void aTrustIsMadeOncePerExtraCa() {
        try (Tenant t = new Tenant()) {
            assertSame(Trust.of(t.connection.extraCaPem()), Trust.of(t.connection.extraCaPem()));
            assertSame(Trust.of(null), Trust.of(""));
            assertNotSame(Trust.of(null), Trust.of(t.connection.extraCaPem()));
        }
    }
}
