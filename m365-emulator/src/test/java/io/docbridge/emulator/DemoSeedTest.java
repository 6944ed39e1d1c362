package io.docbridge.emulator;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import io.docbridge.emulator.identity.Directory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo tenant, as the offline demo uses it: sign in as the administrator and browse the project site. */
class DemoSeedTest {
    @TempDir
    Path data;

    @Test
    void theAdministratorSignsInAndSeesTheProjectSitesLibrariesAndTheirFiles() throws Exception {
        try (M365Emulator emulator = M365Emulator.builder().dataDir(data).signInHint(DemoSeed.signInHint()).start()) {
            DemoSeed.Seeded seeded = DemoSeed.seed(emulator);
            String redirect = "http://localhost:8080/plugins/sharepoint/callback";
            Directory.App app = emulator.directory().addApp("Docbridge", List.of(redirect), List.of("s3cret"));
            ConfidentialClientApplication msal = ConfidentialClientApplication.builder(app.clientId(),
                            ClientCredentialFactory.createFromSecret("s3cret"))
                    .authority(emulator.authority(seeded.tenant().id())).instanceDiscovery(false)
                    // The client trusts the CA file the emulator wrote, as an outside client would.
                    .sslSocketFactory(io.docbridge.emulator.tls.Certificates.trustingPem(
                            Files.readString(data.resolve("ca.pem"))).getSocketFactory()).build();
            Set<String> scopes = Set.of("https://graph.microsoft.com/Sites.ReadWrite.All");
            SignInBrowser.Pkce pkce = SignInBrowser.Pkce.create();
            SignInBrowser browser = new SignInBrowser(emulator);
            browser.get(msal.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters.builder(redirect, scopes)
                    .codeChallenge(pkce.challenge()).codeChallengeMethod("S256").build()).toString());
            assertTrue(browser.page.contains("Offline demo: Microsoft 365 is emulated."), browser.page);
            browser.signIn("megan@" + DemoSeed.TENANT_DOMAIN, DemoSeed.PASSWORD);
            String code = SignInBrowser.delivered(browser.submit(Map.of("decision", "accept"))).get("code");
            String token = msal.acquireToken(AuthorizationCodeParameters.builder(code, URI.create(redirect))
                    .scopes(scopes).codeVerifier(pkce.verifier()).build()).get().accessToken();

            GraphServiceClient graph = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(
                    new AccessTokenProvider() {
                        @Override
                        public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                            return token;
                        }

                        @Override
                        public AllowedHostsValidator getAllowedHostsValidator() {
                            return new AllowedHostsValidator("localhost");
                        }
                    }), GraphClientFactory.create().sslSocketFactory(emulator.clientSslContext().getSocketFactory(),
                    emulator.trustManager()).build());
            graph.getRequestAdapter().setBaseUrl(emulator.graphUrl());

            var site = graph.sites().get(rc -> rc.queryParameters.search = "Project Document Control").getValue().get(0);
            var libraries = graph.sites().bySiteId(site.getId()).drives().get().getValue();
            assertEquals(List.of("Documents", "Drawings", "Transmittals", "Archive"),
                    libraries.stream().map(d -> d.getName()).toList());
            var procedures = graph.drives().byDriveId(libraries.get(0).getId()).items()
                    .byDriveItemId("root:/Procedures:").children().get().getValue();
            assertEquals("Document control procedure.txt", procedures.get(0).getName());
        }
    }
}
