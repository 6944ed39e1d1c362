package io.docbridge.emulator;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.SilentParameters;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.DriveItem;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.emulator.identity.Directory;
import io.docbridge.emulator.tls.Certificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** State kept in the data folder: after a restart on the same port, clients carry on as if nothing happened. */
class RestartTest {
    static final String REDIRECT = "https://docbridge.example/callback";
    static final Set<String> SCOPES = Set.of("https://graph.microsoft.com/Sites.ReadWrite.All");

    @TempDir
    Path data;

    static GraphServiceClient graph(M365Emulator emulator, SSLContext tls, javax.net.ssl.X509TrustManager trust,
                                    String token) {
        GraphServiceClient client = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(
                new AccessTokenProvider() {
                    @Override
                    public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                        return token;
                    }

                    @Override
                    public AllowedHostsValidator getAllowedHostsValidator() {
                        return new AllowedHostsValidator("localhost");
                    }
                }), GraphClientFactory.create().sslSocketFactory(tls.getSocketFactory(), trust).build());
        client.getRequestAdapter().setBaseUrl(emulator.graphUrl());
        return client;
    }

    @Test
    void tokensFilesAndDeltaLinksSurviveARestart() throws Exception {
        String tenantId;
        String driveId;
        String fileId;
        String deltaLink;
        String accessToken;
        ConfidentialClientApplication msal;
        IAuthenticationResult signedIn;
        int port;
        byte[] bytes = "kept across restarts".getBytes(StandardCharsets.UTF_8);
        String caBefore;
        try (M365Emulator first = M365Emulator.builder().dataDir(data).start()) {
            assertFalse(first.restored());
            port = first.baseUrl().getPort();
            Directory.Tenant tenant = first.directory().addTenant("contoso.onmicrosoft.com", "Contoso", true);
            Directory.User adele = first.directory().addUser(tenant, "adele", "Adele Vance", "pw", false);
            Directory.App app = first.directory().addApp("Docbridge", List.of(REDIRECT), List.of("secret"));
            DriveStore.Site site = first.drives().addSite("contoso.sharepoint.com", "/sites/pdc", "PDC",
                    Set.of(adele.id()));
            driveId = first.drives().addLibrary(site, "Documents", 1L << 30).id();
            tenantId = tenant.id();
            caBefore = Files.readString(data.resolve("ca.pem"));
            msal = ConfidentialClientApplication.builder(app.clientId(), ClientCredentialFactory.createFromSecret("secret"))
                    .authority(first.authority(tenantId)).instanceDiscovery(false)
                    .sslSocketFactory(Certificates.trustingPem(caBefore).getSocketFactory()).build();
            SignInBrowser.Pkce pkce = SignInBrowser.Pkce.create();
            SignInBrowser browser = new SignInBrowser(first);
            browser.get(msal.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters.builder(REDIRECT, SCOPES)
                    .codeChallenge(pkce.challenge()).codeChallengeMethod("S256").build()).toString());
            browser.signIn("adele@contoso.onmicrosoft.com", "pw");
            String code = SignInBrowser.delivered(browser.submit(Map.of("decision", "accept"))).get("code");
            signedIn = msal.acquireToken(AuthorizationCodeParameters.builder(code, URI.create(REDIRECT))
                    .scopes(SCOPES).codeVerifier(pkce.verifier()).build()).get();
            accessToken = signedIn.accessToken();
            GraphServiceClient graph = graph(first, first.clientSslContext(), first.trustManager(), accessToken);
            DriveItem file = graph.drives().byDriveId(driveId).items().byDriveItemId("root:/kept.txt:").content()
                    .put(new ByteArrayInputStream(bytes));
            fileId = file.getId();
            deltaLink = graph.drives().byDriveId(driveId).items().byDriveItemId("root").delta().get()
                    .getOdataDeltaLink();
        }

        try (M365Emulator second = M365Emulator.builder().dataDir(data).port(port).start()) {
            assertTrue(second.restored());
            assertEquals(caBefore, Files.readString(data.resolve("ca.pem")), "the CA changed, so clients stop trusting it");
            SSLContext oldTrust = Certificates.trustingPem(caBefore);
            GraphServiceClient graph = graph(second, oldTrust, second.trustManager(), accessToken);

            try (InputStream in = graph.drives().byDriveId(driveId).items().byDriveItemId(fileId).content().get()) {
                assertArrayEquals(bytes, in.readAllBytes());
            }
            var changes = graph.drives().byDriveId(driveId).items().byDriveItemId("root").delta().withUrl(deltaLink).get();
            assertTrue(changes.getValue().isEmpty(), "nothing changed, yet delta listed " + changes.getValue().size());

            IAuthenticationResult refreshed = msal.acquireTokenSilently(SilentParameters.builder(SCOPES,
                    signedIn.account()).forceRefresh(true).authorityUrl(msal.authority()).build()).get();
            assertFalse(refreshed.accessToken().equals(accessToken));
            assertEquals("Documents", graph(second, oldTrust, second.trustManager(), refreshed.accessToken())
                    .drives().byDriveId(driveId).get().getName());
        }
    }

    @Test
    void contentOnItsWayInIsStagedBesideTheDrivesAndWhatARestartCutOffIsRemoved() throws Exception {
        Path incoming;
        try (M365Emulator first = M365Emulator.builder().dataDir(data).start()) {
            incoming = first.drives().newIncomingFile();
            // Publishing a finished upload is then a rename; from the system's temporary folder (often a tmpfs)
            // it was a copy of the whole file.
            assertTrue(incoming.toAbsolutePath().startsWith(data.toAbsolutePath()), incoming.toString());
        }
        try (M365Emulator again = M365Emulator.builder().dataDir(data).start()) {
            assertFalse(Files.exists(incoming), "an upload session ended by the restart left its file");
        }
    }

    @Test
    void anEmulatorWithoutADataFolderLeavesNothingBehindWhenItCloses() throws Exception {
        Path content;
        try (M365Emulator emulator = M365Emulator.builder().start()) {
            content = emulator.drives().newIncomingFile().getParent();
        }
        // Every test's emulator left its folder (certificates, keys, files) in the system's temporary folder.
        assertFalse(Files.exists(content.getParent()), content.getParent() + " is still there");
    }

    @Test
    void aClockMovedForwardStaysMovedAfterARestart() {
        java.time.Instant movedTo;
        try (M365Emulator first = M365Emulator.builder().dataDir(data).start()) {
            first.clock().advance(java.time.Duration.ofHours(2));
            movedTo = first.clock().instant();
        }
        try (M365Emulator again = M365Emulator.builder().dataDir(data).start()) {
            // Otherwise time would run backwards: tokens issued now would look older than a revocation before.
            assertFalse(again.clock().instant().isBefore(movedTo), again.clock().instant() + " < " + movedTo);
        }
    }
}
