package io.docbridge.sharepoint;

import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.SignInBrowser;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.emulator.identity.Directory;
import io.docbridge.graph.DriveClient;
import io.docbridge.graph.GraphCloud;
import io.docbridge.graph.GraphConnection;
import io.docbridge.graph.MicrosoftSignIn;
import io.docbridge.tck.InMemorySecretStore;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One emulated tenant for the whole test run, with a library and a user signed in through the real pages; the
 * contract tests share it (each works in a folder of its own).
 */
final class EmulatedSharePoint {
    private static EmulatedSharePoint shared;

    final M365Emulator emulator;
    final DriveStore.Drive library;
    final DriveClient drives;

    private EmulatedSharePoint() throws Exception {
        emulator = M365Emulator.builder().start();
        Directory.Tenant tenant = emulator.directory().addTenant("contoso.onmicrosoft.com", "Contoso", true);
        emulator.directory().addUser(tenant, "adele", "Adele Vance", "pw", false);
        Directory.User adele = emulator.directory().userByName("adele@contoso.onmicrosoft.com").orElseThrow();
        URI redirect = URI.create("http://localhost/callback");
        Directory.App app = emulator.directory().addApp("Docbridge", List.of(redirect.toString()), List.of("secret"));
        DriveStore.Site site = emulator.drives().addSite("contoso.sharepoint.com", "/sites/pdc", "PDC",
                Set.of(adele.id()));
        library = emulator.drives().addLibrary(site, "Documents", 1L << 40);
        GraphConnection connection = new GraphConnection(GraphCloud.standIn("Emulator", emulator.baseUrl()),
                tenant.id(), app.clientId(), "secret", emulator.caPem());
        MicrosoftSignIn signIn = new MicrosoftSignIn(connection, new InMemorySecretStore(), "cache");
        Set<String> scopes = MicrosoftSignIn.filesAndSites(connection.cloud());
        SignInBrowser.Pkce pkce = SignInBrowser.Pkce.create();
        Map<String, String> back = new SignInBrowser(emulator).signInAndConsent(
                signIn.authorizationUrl(redirect, scopes, "s", pkce.challenge(), null).toString(), "adele@contoso.onmicrosoft.com",
                "pw");
        signIn.keep(signIn.redeem(back.get("code"), redirect, scopes, pkce.verifier()));
        drives = DriveClient.connect(connection, () -> signIn.accessToken(scopes));
    }

    static synchronized EmulatedSharePoint get() throws Exception {
        if (shared == null) {
            shared = new EmulatedSharePoint();
        }
        return shared;
    }

    SharePointStorage storage() {
        return new SharePointStorage(drives, library.id(), library.id(), FolderLayout.BY_PROJECT, List.of("Docbridge TCK"),
                java.time.Clock.systemUTC());
    }
}
