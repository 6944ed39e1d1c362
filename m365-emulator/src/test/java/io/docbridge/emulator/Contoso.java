package io.docbridge.emulator;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.ResponseMode;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.emulator.identity.Directory;
import okhttp3.OkHttpClient;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A seeded tenant for Graph tests: Contoso with Adele (a member of the Project Document Control site) and Nestor
 * (not a member), an app registration, a site with two libraries, and OneDrives. Tokens come from the emulator's
 * own identity side, through msal4j.
 */
final class Contoso implements AutoCloseable {
    static final String REDIRECT = "https://docbridge.example/callback";
    static final String SECRET = "contoso-secret";
    static final long QUOTA = 1L << 30;

    final M365Emulator emulator;
    final Directory.Tenant tenant;
    final Directory.User adele;
    final Directory.User nestor;
    final Directory.App app;
    final DriveStore.Site pdc;
    final DriveStore.Drive documents;
    final DriveStore.Drive drawings;
    final DriveStore.Drive adeleDrive;
    final DriveStore.Drive nestorDrive;
    final ConfidentialClientApplication msal;

    Contoso() throws Exception {
        emulator = M365Emulator.builder().start();
        Directory d = emulator.directory();
        tenant = d.addTenant("contoso.onmicrosoft.com", "Contoso", true);
        adele = d.addUser(tenant, "adelev", "Adele Vance", "adele-password", false);
        nestor = d.addUser(tenant, "nestorw", "Nestor Wilke", "nestor-password", false);
        app = d.addApp("Docbridge", List.of(REDIRECT), List.of(SECRET));
        DriveStore store = emulator.drives();
        store.addSite("contoso.sharepoint.com", "", "Communication site", Set.of(adele.id(), nestor.id()));
        pdc = store.addSite("contoso.sharepoint.com", "/sites/pdc", "Project Document Control", Set.of(adele.id()));
        documents = store.addLibrary(pdc, "Documents", QUOTA);
        drawings = store.addLibrary(pdc, "Drawings", QUOTA);
        adeleDrive = store.addPersonalDrive(actor(adele), "contoso.sharepoint.com", QUOTA);
        nestorDrive = store.addPersonalDrive(actor(nestor), "contoso.sharepoint.com", QUOTA);
        msal = ConfidentialClientApplication.builder(app.clientId(), ClientCredentialFactory.createFromSecret(SECRET))
                .authority(emulator.authority(tenant.id())).instanceDiscovery(false)
                .sslSocketFactory(emulator.clientSslContext().getSocketFactory()).build();
    }

    static DriveStore.Actor actor(Directory.User user) {
        return new DriveStore.Actor(user.id(), user.displayName(), user.userPrincipalName());
    }

    /** A delegated access token for a user, through the real sign-in pages and msal4j. */
    String userToken(String upn, String password, String... scopes) throws Exception {
        Set<String> scopeSet = Set.of(scopes);
        SignInBrowser.Pkce pkce = SignInBrowser.Pkce.create();
        String url = msal.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters.builder(REDIRECT, scopeSet)
                .state("s").codeChallenge(pkce.challenge()).codeChallengeMethod("S256")
                .responseMode(ResponseMode.QUERY).build()).toString();
        SignInBrowser browser = new SignInBrowser(emulator);
        browser.get(url);
        var response = browser.signIn(upn, password);
        if (browser.page.contains("Permissions requested")) {
            response = browser.submit(Map.of("decision", "accept"));
        }
        String code = SignInBrowser.delivered(response).get("code");
        return msal.acquireToken(AuthorizationCodeParameters.builder(code, URI.create(REDIRECT)).scopes(scopeSet)
                .codeVerifier(pkce.verifier()).build()).get().accessToken();
    }

    String adeleToken() throws Exception {
        return userToken("adelev@contoso.onmicrosoft.com", "adele-password",
                "https://graph.microsoft.com/Files.ReadWrite.All", "https://graph.microsoft.com/Sites.ReadWrite.All");
    }

    String appToken() throws Exception {
        return msal.acquireToken(ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default"))
                .build()).get().accessToken();
    }

    /** The Graph SDK v6 pointed at the emulator, trusting its CA, attaching this token to localhost only. */
    GraphServiceClient graph(String token) {
        OkHttpClient http = GraphClientFactory.create()
                .sslSocketFactory(emulator.clientSslContext().getSocketFactory(), emulator.trustManager()).build();
        AccessTokenProvider tokens = new AccessTokenProvider() {
            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return getAllowedHostsValidator().isUrlHostValid(uri) ? token : "";
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return new AllowedHostsValidator("localhost");
            }
        };
        GraphServiceClient client = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens), http);
        client.getRequestAdapter().setBaseUrl(emulator.graphUrl());
        return client;
    }

    @Override
    public void close() {
        emulator.close();
    }
}
