package io.docbridge.emulator;

import io.docbridge.emulator.tls.Certificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** TLS with a key store the user supplies, as a company with its own CA would run the emulator. */
class KeyStoreTest {
    @TempDir
    Path dir;

    @Test
    void aSuppliedKeyStoreServesTlsAndClientsTrustItsCa() throws Exception {
        Certificates company = Certificates.generate(List.of("localhost"));
        Path p12 = dir.resolve("company.p12");
        company.save(p12);

        try (M365Emulator emulator = M365Emulator.builder().keyStore(p12, Certificates.KEYSTORE_PASSWORD).start()) {
            HttpClient trusting = HttpClient.newBuilder().sslContext(Certificates.trustingPem(company.caPem())).build();
            HttpClient other = HttpClient.newBuilder().sslContext(Certificates.generate(List.of("localhost"))
                    .clientContext()).build();
            HttpRequest discovery = HttpRequest.newBuilder(emulator.baseUrl()
                    .resolve("/common/v2.0/.well-known/openid-configuration")).build();

            assertEquals(200, trusting.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode());
            assertThrows(javax.net.ssl.SSLHandshakeException.class,
                    () -> other.send(discovery, HttpResponse.BodyHandlers.discarding()));
            assertEquals(company.caPem(), emulator.caPem());
        }
    }
}
