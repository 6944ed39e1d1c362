package io.docbridge.graph;

import io.docbridge.emulator.identity.Directory;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records that hold a secret say so in toString, never the secret: they end up in logs and assertion messages. */
class SecretsStayOutOfToStringTest {
    @Test
    void aConnectionsToStringHidesItsClientSecret() {
        GraphConnection connection = new GraphConnection(GraphCloud.standIn("Emulator",
                URI.create("https://localhost:8443/")), "contoso.onmicrosoft.com", "client-1", "s3cret-value", "");

        assertFalse(connection.toString().contains("s3cret-value"), connection.toString());
        assertTrue(connection.toString().contains("client-1"));
    }

    @Test
    void redeemedTokensAndEmulatedAppsHideTheirSecrets() {
        var redeemed = new MicrosoftSignIn.Redeemed(new io.docbridge.api.SignInAccount("o", "t", "adele@contoso.com"),
                "{\"RefreshToken\":{\"secret\":\"refresh-123\"}}");
        var app = new Directory.App("client-1", "Docbridge", List.of("https://x/"), List.of("app-secret-9"));

        assertFalse(redeemed.toString().contains("refresh-123"), redeemed.toString());
        assertFalse(app.toString().contains("app-secret-9"), app.toString());
    }
}
