package io.docbridge.graph;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GraphCloudTest {

    @Test
    void tenantAuthorityIsBelowTheLoginHost() {
        assertEquals(URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/"),
                GraphCloud.GLOBAL.tenantAuthority("contoso.onmicrosoft.com"));
    }

    @Test
    void aTenantThatCouldEscapeThePathIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> GraphCloud.GLOBAL.tenantAuthority("../evil"));
    }

    @Test
    void plainHttpIsRefusedBecauseMsalWouldRefuseIt() {
        assertThrows(IllegalArgumentException.class, () -> new GraphCloud("x",
                URI.create("http://localhost/"), URI.create("https://localhost/v1.0"), "https://graph.microsoft.com"));
    }

    @Test
    void aStandInServesEverythingFromOneBaseButScopesStillNameMicrosoftGraph() {
        GraphCloud emulator = GraphCloud.standIn("Emulator", URI.create("https://localhost:8443"));

        assertEquals(URI.create("https://localhost:8443/v1.0"), emulator.graph());
        assertEquals("https://graph.microsoft.com/.default", emulator.scope(".default"));
        assertEquals("https://graph.microsoft.us/Files.ReadWrite.All", GraphCloud.US_GOV_L4.scope("Files.ReadWrite.All"));
    }
}
