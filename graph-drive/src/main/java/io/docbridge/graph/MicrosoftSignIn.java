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
import io.docbridge.api.SignInAccount;

import java.net.MalformedURLException;
import java.net.URI;
import java.util.Set;

/**
 * Signing one connection in to Microsoft and keeping it signed in: the authorization-code flow with PKCE, then
 * silent refresh for as long as Microsoft allows. The token cache lives in the host's encrypted secret store under
 * {@code cacheKey}, through msal4j's cache hooks, so a restart keeps the sign-in. Refresh tokens never leave msal4j.
 * Thread-safe.
 *
 * <p>Each connection has an msal4j application of its own, on purpose. msal4j keeps one token cache per application
 * (https://aka.ms/msal4j-token-cache) and finds a silent call's account in it; an application shared by many
 * connections would hold every person's tokens in one cache, to be swapped in and out around each call, and one
 * mistake there would hand a person's token to another's connection. What is costly is shared instead: the TLS
 * trust and SSL context ({@link Trust}), and the HTTP pools of the Graph clients ({@link GraphTransport}); an
 * application itself is about 2.3 KB.
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
    private final SecretStoreCache cache = new SecretStoreCache();

    public MicrosoftSignIn(GraphConnection connection, SecretStore secrets, String cacheKey) {
        this.connection = connection;
        this.secrets = secrets;
        this.cacheKey = cacheKey;
        this.msal = application(connection, cache);
    }

    /** An msal4j application for the connection's cloud and app; its token cache in memory unless {@code cache}. */
    private static ConfidentialClientApplication application(GraphConnection connection, ITokenCacheAccessAspect cache) {
        Trust trust = Trust.of(connection.extraCaPem());
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication.builder(connection.clientId(),
                            ClientCredentialFactory.createFromSecret(connection.clientSecret()))
                    .authority(connection.cloud().tenantAuthority(connection.tenant()).toString())
                    // msal4j would ask login.microsoftonline.com about any other host; offline, that hangs.
                    .instanceDiscovery(connection.microsoftAuthority())
                    .sslSocketFactory(trust.sslContext().getSocketFactory())
                    .connectTimeoutForDefaultHttpClient(10_000)
                    .readTimeoutForDefaultHttpClient(30_000);
            return (cache == null ? builder : builder.setTokenCacheAccessAspect(cache)).build();
        } catch (MalformedURLException e) {
            throw new PluginException(ErrorKind.INVALID_INPUT, "The sign-in address is not valid: " + e.getMessage());
        }
    }

    /**
     * Where to send the browser to sign in. The answer ({@code code} and {@code state}, or {@code error}) comes back
     * as a redirect to {@code redirectUri} with a query string ({@code response_mode=query}), not msal4j's default
     * form_post: a top-level GET carries the host's SameSite=Lax session cookie, so the callback can check that the
     * browser and person who started the sign-in are the ones finishing it. A cross-site form POST carries no
     * cookie, and anyone the sign-in link was passed to could finish it.
     *
     * @param loginHint the account to suggest (reconnecting a connection), or null to let the person choose
     */
    public URI authorizationUrl(URI redirectUri, Set<String> scopes, String state, String codeChallenge,
                                String loginHint) {
        AuthorizationRequestUrlParameters.Builder params = AuthorizationRequestUrlParameters
                .builder(redirectUri.toString(), scopes).state(state).codeChallenge(codeChallenge)
                .codeChallengeMethod("S256");
        if (loginHint == null) {
            params.prompt(Prompt.SELECT_ACCOUNT);
        } else {
            params.loginHint(loginHint);
        }
        // msal4j 1.x always writes response_mode=form_post (it overrides QUERY, calling it deprecated); the
        // Microsoft identity platform accepts query for the code flow, and it is the default there.
        String url = msal.getAuthorizationRequestUrl(params.build()).toString();
        return URI.create(url.replace("response_mode=form_post", "response_mode=query"));
    }

    /**
     * Tokens redeemed for an authorization code and not stored yet: the caller decides whether the account may
     * sign this connection in, then {@link #keep}s them or drops them. {@code toString} leaves the cache out.
     */
    public record Redeemed(SignInAccount account, String serializedCache) {
        @Override
        public String toString() {
            return "Redeemed[" + account + "]";
        }
    }

    /**
     * Redeems the code the browser brought back into a token cache of its own, leaving this connection's stored
     * cache untouched until {@link #keep}.
     */
    public Redeemed redeem(String code, URI redirectUri, Set<String> scopes, String codeVerifier) {
        ConfidentialClientApplication fresh = application(connection, null);
        try {
            IAuthenticationResult result = fresh.acquireToken(AuthorizationCodeParameters.builder(code, redirectUri)
                    .scopes(scopes).codeVerifier(codeVerifier).build()).get();
            return new Redeemed(accountOf(result.account()), fresh.tokenCache().serialize());
        } catch (Exception e) {
            throw GraphErrors.map(e, "completing the sign-in");
        }
    }

    /** Makes redeemed tokens this connection's: they replace whatever it was signed in with before. */
    public void keep(Redeemed redeemed) {
        secrets.put(cacheKey, redeemed.serializedCache());
        cache.forget();
    }

    /** The signed-in account, if any. */
    public java.util.Optional<SignInAccount> account() {
        return msal.getAccounts().join().stream().findFirst().map(MicrosoftSignIn::accountOf);
    }

    /** msal4j's account: its home account id is {@code <object id>.<tenant id>}, which identify it for good. */
    static SignInAccount accountOf(IAccount account) {
        String home = account.homeAccountId();
        int dot = home.indexOf('.');
        return new SignInAccount(dot < 0 ? home : home.substring(0, dot), home.substring(dot + 1), account.username());
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
        if (forceRefresh) {
            cache.forget(); // Graph refused the token: perhaps another instance signed the connection in again
        }
        try {
            return silently(scopes, forceRefresh);
        } catch (Exception e) {
            if (!cache.storeChanged()) {
                throw GraphErrors.map(e, "refreshing the sign-in");
            }
            // Another instance signed the connection in again meanwhile: its tokens, once.
            cache.forget();
            try {
                return silently(scopes, forceRefresh);
            } catch (Exception again) {
                throw GraphErrors.map(again, "refreshing the sign-in");
            }
        }
    }

    private String silently(Set<String> scopes, boolean forceRefresh) throws Exception {
        IAccount account = msal.getAccounts().join().stream().findFirst().orElseThrow(() -> new PluginException(
                ErrorKind.AUTHENTICATION_EXPIRED, "Not connected yet: connect with Microsoft first."));
        // authorityUrl: msal4j drops the port from a cached account's authority (seen with msal4j 1.26: the
        // refresh then goes to port 443).
        return msal.acquireTokenSilently(SilentParameters.builder(scopes, account).authorityUrl(msal.authority())
                .forceRefresh(forceRefresh).build()).get().accessToken();
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
        cache.forget();
    }

    /**
     * msal4j's token cache, kept in the host's encrypted secret store and in memory: read from the store once (and
     * again after a failure or a refused token, when another instance may have replaced it), written through
     * whenever it changes. A Graph request costs no database read.
     */
    private final class SecretStoreCache implements ITokenCacheAccessAspect {
        /** Whether msal's in-memory cache holds what the store held when last read or written here. */
        private volatile boolean current;
        /** What was last read from or written to the store here. */
        private volatile String known;

        void forget() {
            current = false;
        }

        /** Whether the stored cache is not the one last read or written here (another instance wrote it). */
        boolean storeChanged() {
            return !java.util.Objects.equals(secrets.get(cacheKey).orElse(null), known);
        }

        @Override
        public void beforeCacheAccess(ITokenCacheAccessContext context) {
            if (!current) {
                known = secrets.get(cacheKey).orElse(null);
                if (known != null) {
                    context.tokenCache().deserialize(known);
                }
                current = true;
            }
        }

        @Override
        public void afterCacheAccess(ITokenCacheAccessContext context) {
            if (context.hasCacheChanged()) {
                String serialized = context.tokenCache().serialize();
                secrets.put(cacheKey, serialized);
                known = serialized;
            }
        }
    }
}
