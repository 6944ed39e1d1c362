package io.docbridge.graph;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.SilentParameters;
import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;
import io.docbridge.api.SecretStore;

import java.net.MalformedURLException;
import java.net.URI;
import java.util.Set;

/**
 * Signing one connection in to Microsoft and keeping it signed in: the authorization-code flow with PKCE, then
 * silent refresh for as long as Microsoft allows. The token cache lives in the host's encrypted secret store under
 * {@code cacheKey}, through msal4j's cache hooks, so a restart keeps the sign-in. Refresh tokens never leave msal4j.
 * Thread-safe.
 */
public final class MicrosoftSignIn {
    /** What the storage and drive plugins ask for; msal4j adds openid, profile and offline_access itself. */
    public static Set<String> filesAndSites(GraphCloud cloud) {
        return Set.of(cloud.scope("Files.ReadWrite.All"), cloud.scope("Sites.ReadWrite.All"));
    }

    /**
     * What a person's own OneDrive needs: their files, nothing else. Least privilege, and all a personal Microsoft
     * account can grant (it has no SharePoint sites).
     */
    public static Set<String> ownFiles(GraphCloud cloud) {
        return Set.of(cloud.scope("Files.ReadWrite"));
    }

    private final GraphConnection connection;
    private final ConfidentialClientApplication msal;
    private final SecretStore secrets;
    private final String cacheKey;

    public MicrosoftSignIn(GraphConnection connection, SecretStore secrets, String cacheKey) {
        this.connection = connection;
        this.secrets = secrets;
        this.cacheKey = cacheKey;
        Trust trust = new Trust(connection.extraCaPem());
        try {
            this.msal = ConfidentialClientApplication.builder(connection.clientId(),
                            ClientCredentialFactory.createFromSecret(connection.clientSecret()))
                    .authority(connection.cloud().tenantAuthority(connection.tenant()).toString())
                    // msal4j would ask login.microsoftonline.com about any other host; offline, that hangs.
                    .instanceDiscovery(connection.microsoftAuthority())
                    .sslSocketFactory(trust.sslContext().getSocketFactory())
                    .connectTimeoutForDefaultHttpClient(10_000)
                    .readTimeoutForDefaultHttpClient(30_000)
                    .setTokenCacheAccessAspect(new SecretStoreCache())
                    .build();
        } catch (MalformedURLException e) {
            throw new PluginException(ErrorKind.INVALID_INPUT, "The sign-in address is not valid: " + e.getMessage());
        }
    }

    /**
     * Where to send the browser to sign in. msal4j always asks for {@code response_mode=form_post}: the answer
     * ({@code code} and {@code state}, or {@code error}) is POSTed to {@code redirectUri} from Microsoft's page, a
     * cross-site POST on which browsers do not send SameSite=Lax cookies. So the callback binds the answer to
     * {@code state}, kept server-side, never to the session.
     */
    public URI authorizationUrl(URI redirectUri, Set<String> scopes, String state, Pkce pkce, boolean selectAccount) {
        AuthorizationRequestUrlParameters.Builder params = AuthorizationRequestUrlParameters
                .builder(redirectUri.toString(), scopes).state(state).codeChallenge(pkce.challenge())
                .codeChallengeMethod("S256");
        if (selectAccount) {
            params.prompt(Prompt.SELECT_ACCOUNT);
        }
        try {
            return msal.getAuthorizationRequestUrl(params.build()).toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Redeems the code the browser brought back; the account is remembered in the token cache. */
    public SignedInAccount completeSignIn(String code, URI redirectUri, Set<String> scopes, Pkce pkce) {
        try {
            IAuthenticationResult result = msal.acquireToken(AuthorizationCodeParameters.builder(code, redirectUri)
                    .scopes(scopes).codeVerifier(pkce.verifier()).build()).get();
            // One account per connection: a reconnect with another account replaces the old one.
            for (IAccount other : msal.getAccounts().join()) {
                if (!other.homeAccountId().equals(result.account().homeAccountId())) {
                    msal.removeAccount(other).join();
                }
            }
            return new SignedInAccount(result.account().username(), result.account().homeAccountId()
                    .substring(result.account().homeAccountId().indexOf('.') + 1));
        } catch (Exception e) {
            throw GraphErrors.map(e, "completing the sign-in");
        }
    }

    /** The signed-in account, if any. */
    public java.util.Optional<SignedInAccount> account() {
        return msal.getAccounts().join().stream().findFirst().map(a -> new SignedInAccount(a.username(),
                a.homeAccountId().substring(a.homeAccountId().indexOf('.') + 1)));
    }

    /**
     * A current access token, refreshed silently when needed.
     *
     * @throws PluginException AUTHENTICATION_EXPIRED when signing in again is the only way on (with the reason);
     *                         CONSENT_REQUIRED when consent was withdrawn; UNAVAILABLE when Microsoft cannot be reached
     */
    public String accessToken(Set<String> scopes) {
        return accessToken(scopes, false);
    }

    /**
     * A current access token; with {@code forceRefresh}, a new one from the token endpoint even if the cached one
     * looks valid (Graph refused it: revoked, or clocks disagree).
     */
    public String accessToken(Set<String> scopes, boolean forceRefresh) {
        IAccount account = msal.getAccounts().join().stream().findFirst().orElseThrow(() -> new PluginException(
                ErrorKind.AUTHENTICATION_EXPIRED, "Not connected yet: connect with Microsoft first."));
        try {
            // authorityUrl: msal4j drops the port from a cached account's authority (shared/stack-notes.md).
            return msal.acquireTokenSilently(SilentParameters.builder(scopes, account).authorityUrl(msal.authority())
                    .forceRefresh(forceRefresh).build()).get().accessToken();
        } catch (Exception e) {
            throw GraphErrors.map(e, "refreshing the sign-in");
        }
    }

    /**
     * Tokens for a {@link DriveClient}: cached ones normally; a refreshed one after Graph refused the cached one.
     */
    public DriveClient.Tokens tokens(Set<String> scopes) {
        java.util.concurrent.atomic.AtomicBoolean refreshNext = new java.util.concurrent.atomic.AtomicBoolean();
        return new DriveClient.Tokens() {
            @Override
            public String token() {
                return accessToken(scopes, refreshNext.getAndSet(false));
            }

            @Override
            public void refused() {
                refreshNext.set(true);
            }
        };
    }

    /** An app-only token (client credentials): no user, no reconnect; needs application permissions. */
    public String appToken() {
        return appToken(false);
    }

    /** App-only tokens for a {@link DriveClient}, fetched anew after Graph refused the cached one. */
    public DriveClient.Tokens appTokens() {
        java.util.concurrent.atomic.AtomicBoolean fresh = new java.util.concurrent.atomic.AtomicBoolean();
        return new DriveClient.Tokens() {
            @Override
            public String token() {
                return appToken(fresh.getAndSet(false));
            }

            @Override
            public void refused() {
                fresh.set(true);
            }
        };
    }

    private String appToken(boolean skipCache) {
        try {
            return msal.acquireToken(ClientCredentialParameters.builder(Set.of(connection.cloud().scope(".default")))
                    .skipCache(skipCache).build()).get().accessToken();
        } catch (Exception e) {
            throw GraphErrors.map(e, "signing the app in");
        }
    }

    /** Forgets the sign-in: the token cache is removed from the secret store. */
    public void signOut() {
        msal.getAccounts().join().forEach(a -> msal.removeAccount(a).join());
        secrets.delete(cacheKey);
    }

    /** msal4j's token cache, kept in the host's encrypted secret store. */
    private final class SecretStoreCache implements ITokenCacheAccessAspect {
        @Override
        public void beforeCacheAccess(ITokenCacheAccessContext context) {
            secrets.get(cacheKey).ifPresent(context.tokenCache()::deserialize);
        }

        @Override
        public void afterCacheAccess(ITokenCacheAccessContext context) {
            if (context.hasCacheChanged()) {
                secrets.put(cacheKey, context.tokenCache().serialize());
            }
        }
    }
}
