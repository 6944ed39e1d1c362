package io.docbridge.graph;

import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.SignInBrowser;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.emulator.identity.Directory;
import io.docbridge.tck.InMemorySecretStore;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An emulated tenant for graph-drive tests, and a signed-in connection to it. */
final class Tenant implements AutoCloseable {
    static final URI REDIRECT = URI.create("http://localhost:8080/plugins/sharepoint/callback");

    final M365Emulator emulator;
    final Directory.Tenant tenant;
    final Directory.User adele;
    final Directory.App app;
    final DriveStore.Site pdc;
    final DriveStore.Drive documents;
    final DriveStore.Drive drawings;
    final DriveStore.Site other;
    final DriveStore.Drive adeleDrive;
    final GraphConnection connection;

    Tenant(Duration accessTokenLifetime) {
        emulator = M365Emulator.builder().accessTokenLifetime(accessTokenLifetime).start();
        tenant = emulator.directory().addTenant("contoso.onmicrosoft.com", "Contoso", true);
        adele = emulator.directory().addUser(tenant, "adele", "Adele Vance", "adele-pw", false);
        app = emulator.directory().addApp("Docbridge", List.of(REDIRECT.toString()), List.of("client-secret"));
        pdc = emulator.drives().addSite("contoso.sharepoint.com", "/sites/pdc", "Project Document Control",
                Set.of(adele.id()));
        documents = emulator.drives().addLibrary(pdc, "Documents", 1L << 30);
        drawings = emulator.drives().addLibrary(pdc, "Drawings", 1L << 30);
        other = emulator.drives().addSite("contoso.sharepoint.com", "/sites/hr", "HR", Set.of());
        emulator.drives().addLibrary(other, "Documents", 1L << 30);
        adeleDrive = emulator.drives().addPersonalDrive(new DriveStore.Actor(adele.id(), adele.displayName(),
                adele.userPrincipalName()), "contoso.sharepoint.com", 1L << 30);
        connection = new GraphConnection(GraphCloud.standIn("Emulator", emulator.baseUrl()), tenant.id(),
                app.clientId(), "client-secret", emulator.caPem());
    }

    Tenant() {
        this(Duration.ofMinutes(60));
    }

    /** Signs Adele in through the real pages; returns the sign-in, its token cache in {@code secrets}. */
    MicrosoftSignIn signIn(InMemorySecretStore secrets) throws Exception {
        MicrosoftSignIn signIn = new MicrosoftSignIn(connection, secrets, "conn-1/token-cache");
        SignInBrowser.Pkce pkce = SignInBrowser.Pkce.create();
        Set<String> scopes = MicrosoftSignIn.filesAndSites(connection.cloud());
        URI url = signIn.authorizationUrl(REDIRECT, scopes, "state-1", pkce.challenge(), null);
        Map<String, String> back = new SignInBrowser(emulator).signInAndConsent(url.toString(),
                "adele@contoso.onmicrosoft.com", "adele-pw");
        if (!"state-1".equals(back.get("state"))) {
            throw new AssertionError("state not echoed: " + back);
        }
        signIn.keep(signIn.redeem(back.get("code"), REDIRECT, scopes, pkce.verifier()));
        return signIn;
    }

    @Override
    public void close() {
        emulator.close();
    }
}
