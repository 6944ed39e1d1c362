package io.docbridge.emulator.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docbridge.emulator.Json;
import io.docbridge.emulator.identity.Directory.App;
import io.docbridge.emulator.identity.Directory.Tenant;
import io.docbridge.emulator.identity.Directory.User;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The login.microsoftonline.com stand-in: /authorize with real sign-in and consent pages, /token for the
 * authorization-code (with PKCE), refresh-token and client-credentials grants, admin consent, and the discovery
 * documents. Errors use Microsoft's shapes and AADSTS codes (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes).
 */
public final class IdentityServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern PATH = Pattern.compile("/([\\w.-]+)/(oauth2/v2\\.0/authorize(?:/(login|consent|cancel))?"
            + "|oauth2/v2\\.0/token|v2\\.0/\\.well-known/openid-configuration|discovery/v2\\.0/keys|v2\\.0/adminconsent"
            + "|discovery/instance)");
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    private static final Duration FLOW_LIFETIME = Duration.ofHours(1);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom random = new SecureRandom();

    private final transient Directory directory;
    private final transient TokenIssuer issuer;
    private final transient Clock clock;
    private final transient IdentitySettings settings;

    /** A sign-in in progress, between the pages. */
    private record Flow(String id, String tenantParam, App app, String redirectUri, Set<String> scopes, String state,
                        String nonce, String codeChallenge, String challengeMethod, String responseMode,
                        boolean adminConsent, Instant started, String userId) {
        Flow withUser(String user) {
            return new Flow(id, tenantParam, app, redirectUri, scopes, state, nonce, codeChallenge, challengeMethod,
                    responseMode, adminConsent, started, user);
        }
    }

    private record AuthCode(String clientId, String redirectUri, String userId, Set<String> scopes,
                            String codeChallenge, String challengeMethod, String nonce, Instant expires) {
    }

    /** Sign-ins in progress (an hour to finish), codes not yet redeemed, and redeemed codes (to refuse a replay). */
    private final transient Map<String, Flow> flows;
    private final transient Map<String, AuthCode> codes;
    private final transient Set<String> redeemed;
    private final transient RefreshTokens refreshTokens;

    public IdentityServlet(Directory directory, TokenIssuer issuer, RefreshTokens refreshTokens, Clock clock,
                           IdentitySettings settings) {
        this.flows = io.docbridge.emulator.Expiring.map(clock, FLOW_LIFETIME);
        this.codes = io.docbridge.emulator.Expiring.map(clock, CODE_LIFETIME);
        this.redeemed = java.util.Collections.newSetFromMap(io.docbridge.emulator.Expiring.map(clock, CODE_LIFETIME));
        this.refreshTokens = refreshTokens;
        this.directory = directory;
        this.issuer = issuer;
        this.clock = clock;
        this.settings = settings;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("x-ms-request-id", UUID.randomUUID().toString());
        Matcher m = PATH.matcher(req.getRequestURI());
        if (!m.matches()) {
            resp.sendError(404);
            return;
        }
        String tenant = m.group(1);
        String endpoint = m.group(2);
        boolean post = req.getMethod().equals("POST");
        if (endpoint.equals("oauth2/v2.0/authorize") && !post) {
            authorize(req, resp, tenant, false);
        } else if (endpoint.equals("v2.0/adminconsent") && !post) {
            authorize(req, resp, tenant, true);
        } else if (endpoint.endsWith("/login") && post) {
            login(req, resp);
        } else if (endpoint.endsWith("/consent") && post) {
            consent(req, resp);
        } else if (endpoint.endsWith("/cancel")) {
            cancelApproval(req, resp);
        } else if (endpoint.equals("oauth2/v2.0/token") && post) {
            token(req, resp, tenant);
        } else if (endpoint.endsWith("openid-configuration")) {
            Json.write(resp, 200, openIdConfiguration(req, tenant), "application/json; charset=utf-8");
        } else if (endpoint.endsWith("keys")) {
            Json.write(resp, 200, issuer.jwks(), "application/json; charset=utf-8");
        } else if (endpoint.equals("discovery/instance")) {
            instanceDiscovery(req, resp);
        } else {
            resp.sendError(405);
        }
    }

    // ---- /authorize and its pages ----

    private void authorize(HttpServletRequest req, HttpServletResponse resp, String tenant, boolean adminConsent)
            throws IOException {
        String clientId = req.getParameter("client_id");
        Optional<App> app = clientId == null ? Optional.empty() : directory.app(clientId);
        if (app.isEmpty()) {
            errorPage(resp, 400, 700016, "Application with identifier '" + Html.esc(clientId) + "' was not found in the "
                    + "directory '" + Html.esc(tenant) + "'. This can happen if the application has not been installed "
                    + "by the administrator of the tenant or consented to by any user in the tenant.");
            return;
        }
        String redirectUri = req.getParameter("redirect_uri");
        if (redirectUri == null || !app.get().redirectUris().contains(redirectUri)) {
            errorPage(resp, 400, 50011, "The redirect URI '" + Html.esc(redirectUri) + "' specified in the request "
                    + "does not match the redirect URIs configured for the application '" + app.get().clientId()
                    + "'. Make sure the redirect URI sent in the request matches one added to your application in the "
                    + "Azure portal.");
            return;
        }
        String state = req.getParameter("state");
        String responseMode = Optional.ofNullable(req.getParameter("response_mode")).orElse("query");
        Set<String> scopes = Scopes.parse(adminConsent ? Optional.ofNullable(req.getParameter("scope"))
                .orElse(".default").replace("https://graph.microsoft.com/.default", "").replace(".default", "")
                : req.getParameter("scope"));
        if (!adminConsent && !"code".equals(req.getParameter("response_type"))) {
            redirectError(resp, redirectUri, responseMode, state, "unsupported_response_type", 700054,
                    "response_type '" + req.getParameter("response_type") + "' is not enabled for the application.");
            return;
        }
        if (scopes == null) {
            redirectError(resp, redirectUri, responseMode, state, "invalid_scope", 70011,
                    "The provided value for the input parameter 'scope' is not valid.");
            return;
        }
        if (adminConsent && scopes.isEmpty()) {
            scopes = Set.copyOf(Scopes.DELEGATED.keySet());
        }
        String challenge = req.getParameter("code_challenge");
        String method = Optional.ofNullable(req.getParameter("code_challenge_method")).orElse("plain");
        if (challenge != null && !method.equals("S256") && !method.equals("plain")) {
            redirectError(resp, redirectUri, responseMode, state, "invalid_request", 50137,
                    "The code_challenge_method is not supported.");
            return;
        }
        Flow flow = new Flow(token(24), tenant, app.get(), redirectUri, scopes, state, req.getParameter("nonce"),
                challenge, method, responseMode, adminConsent, clock.instant(), null);
        flows.put(flow.id(), flow);
        signInPage(req, resp, flow, Optional.ofNullable(req.getParameter("login_hint")).orElse(""), null);
    }

    private void signInPage(HttpServletRequest req, HttpServletResponse resp, Flow flow, String username, String error)
            throws IOException {
        String hint = settings.signInHint().isEmpty() ? "" : "<div class=\"hint\">" + settings.signInHint() + "</div>";
        Html.page(resp, error == null ? 200 : 401, "Sign in to your account", """
                <h1>Sign in</h1>
                <p>to continue to <b>%s</b></p>
                %s
                <form method="post" action="%s">
                  <input type="hidden" name="flow" value="%s">
                  <input type="text" name="username" id="i0116" placeholder="Email, phone, or Skype" value="%s" autofocus>
                  <input type="password" name="password" id="i0118" placeholder="Password">
                  <button type="submit" id="idSIButton9">Sign in</button>
                </form>
                %s
                """.formatted(Html.esc(flow.app().displayName()),
                error == null ? "" : "<p class=\"error\" id=\"passwordError\">" + Html.esc(error) + "</p>",
                Html.esc("/" + flow.tenantParam() + "/oauth2/v2.0/authorize/login"), flow.id(), Html.esc(username),
                hint));
    }

    private void login(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Flow flow = flows.get(Optional.ofNullable(req.getParameter("flow")).orElse(""));
        if (flow == null || flow.started().plus(FLOW_LIFETIME).isBefore(clock.instant())) {
            errorPage(resp, 400, 50058, "The sign-in session has expired or is not valid. Go back to the application "
                    + "and sign in again.");
            return;
        }
        String username = Optional.ofNullable(req.getParameter("username")).orElse("").trim();
        Optional<User> user = directory.userByName(username)
                .filter(u -> u.password().equals(req.getParameter("password")));
        if (user.isEmpty()) {
            signInPage(req, resp, flow, username, "Your account or password is incorrect. If you don't remember your "
                    + "password, reset it now.");
            return;
        }
        Optional<Tenant> named = directory.tenant(flow.tenantParam());
        boolean personal = user.get().tenantId().equals(Directory.CONSUMERS);
        if (personal && !flow.app().personalAccounts()) {
            // Microsoft account's own page (login.live.com) answers this, without an AADSTS code.
            Html.page(resp, 400, "Sign in", "<h1>We're unable to complete your request</h1><p class=\"error\" "
                    + "id=\"aadsts\">unauthorized_client: The client does not exist or is not enabled for consumers. "
                    + "If you are the application developer, configure a new application through the App "
                    + "Registrations in the Azure Portal.</p>");
            return;
        }
        if (personal && flow.tenantParam().equals("organizations")) {
            errorPage(resp, 400, 50020, "You can't sign in here with a personal account. Use your work or school "
                    + "account instead.");
            return;
        }
        boolean generic = flow.tenantParam().equals("common") || flow.tenantParam().equals("organizations");
        if (!generic && named.map(t -> !t.id().equals(user.get().tenantId())).orElse(true)) {
            errorPage(resp, 400, 50020, "User account '" + Html.esc(user.get().userPrincipalName()) + "' from identity "
                    + "provider does not exist in tenant '" + Html.esc(flow.tenantParam()) + "' and cannot access the "
                    + "application '" + flow.app().clientId() + "' in that tenant.");
            return;
        }
        Flow signedIn = flow.withUser(user.get().id());
        flows.put(flow.id(), signedIn);
        if (user.get().mfaRequired()) {
            // Interactive sign-in satisfies the MFA challenge of this emulated tenant.
            directory.requireMfa(user.get(), false);
        }
        Tenant tenant = directory.tenant(user.get().tenantId()).orElseThrow();
        if (flow.adminConsent()) {
            if (!user.get().tenantAdmin()) {
                errorPage(resp, 403, 90094, "AdminConsentRequired - Administrator consent is required. Only an "
                        + "administrator of '" + Html.esc(tenant.displayName()) + "' can grant it.");
                return;
            }
            consentPage(resp, signedIn, user.get(), flow.scopes(), true);
            return;
        }
        Set<String> missing = Scopes.graphOnly(flow.scopes());
        missing.removeAll(directory.consentedScopes(user.get(), flow.app()));
        if (missing.isEmpty()) {
            issueCode(resp, signedIn);
        } else if (tenant.userConsentAllowed() || user.get().tenantAdmin()) {
            consentPage(resp, signedIn, user.get(), missing, false);
        } else {
            approvalRequiredPage(resp, signedIn, tenant);
        }
    }

    private void consentPage(HttpServletResponse resp, Flow flow, User user, Set<String> scopes, boolean forOrg)
            throws IOException {
        String items = scopes.stream().sorted().map(s -> "<li>" + Html.esc(Scopes.DELEGATED.getOrDefault(s, s))
                + " <span class=\"code\">(" + Html.esc(s) + ")</span></li>").collect(Collectors.joining());
        Html.page(resp, 200, "Permissions requested", """
                <h1>Permissions requested%s</h1>
                <p><b>%s</b> would like to:</p>
                <ul id="permissions">%s<li>Maintain access to data you have given it access to</li></ul>
                <p>Signed in as %s. Accepting allows this app to use your data as described in its terms of service.</p>
                <form method="post" action="%s">
                  <input type="hidden" name="flow" value="%s">
                  <button type="submit" name="decision" value="cancel" class="secondary" id="idBtn_Back">Cancel</button>
                  <button type="submit" name="decision" value="accept" id="idSIButton9">Accept</button>
                </form>
                """.formatted(forOrg ? " for your organization" : "", Html.esc(flow.app().displayName()), items,
                Html.esc(user.userPrincipalName()), Html.esc("/" + flow.tenantParam() + "/oauth2/v2.0/authorize/consent"),
                flow.id()));
    }

    private void approvalRequiredPage(HttpServletResponse resp, Flow flow, Tenant tenant) throws IOException {
        Html.page(resp, 200, "Need admin approval", """
                <h1>Need admin approval</h1>
                <p id="approval-message"><b>%s</b> needs permission to access resources in your organization that only
                an admin can grant. Please ask an admin to grant permission to this app before you can use it.</p>
                <p class="code">AADSTS90094: AdminConsentRequired - Administrator consent is required. (%s)</p>
                <p><a id="cancel-link" href="%s">Return to the application without granting consent</a></p>
                """.formatted(Html.esc(flow.app().displayName()), Html.esc(tenant.displayName()),
                Html.esc("/" + flow.tenantParam() + "/oauth2/v2.0/authorize/cancel?flow=" + flow.id())));
    }

    private void cancelApproval(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Flow flow = flows.remove(Optional.ofNullable(req.getParameter("flow")).orElse(""));
        if (flow == null) {
            errorPage(resp, 400, 50058, "The sign-in session has expired or is not valid.");
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", "access_denied");
        params.put("error_subcode", "cancel");
        params.put("error_description", "AADSTS90094: AdminConsentRequired - Administrator consent is required.");
        putState(params, flow.state());
        respond(resp, flow.redirectUri(), flow.responseMode(), params);
    }

    private void consent(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Flow flow = flows.get(Optional.ofNullable(req.getParameter("flow")).orElse(""));
        if (flow == null || flow.userId() == null) {
            errorPage(resp, 400, 50058, "The sign-in session has expired or is not valid.");
            return;
        }
        User user = directory.user(flow.userId()).orElseThrow();
        if (!"accept".equals(req.getParameter("decision"))) {
            flows.remove(flow.id());
            Map<String, String> params = new LinkedHashMap<>();
            if (flow.adminConsent()) {
                params.put("admin_consent", "True");
                params.put("error", "consent_required");
                params.put("error_description", "AADSTS65004: The resource owner or authorization server denied the "
                        + "request.");
            } else {
                params.put("error", "access_denied");
                params.put("error_description", "AADSTS65004: User declined to consent to access the app.");
                params.put("error_uri", "https://login.microsoftonline.com/error?code=65004");
            }
            putState(params, flow.state());
            respond(resp, flow.redirectUri(), flow.adminConsent() ? "query" : flow.responseMode(), params);
            return;
        }
        Tenant tenant = directory.tenant(user.tenantId()).orElseThrow();
        if (flow.adminConsent()) {
            directory.grantAdminConsent(tenant, flow.app(), Scopes.graphOnly(flow.scopes()));
            flows.remove(flow.id());
            Map<String, String> params = new LinkedHashMap<>();
            params.put("admin_consent", "True");
            params.put("tenant", tenant.id());
            params.put("scope", Scopes.graphOnly(flow.scopes()).stream().map(s -> Scopes.GRAPH + s)
                    .collect(Collectors.joining(" ")));
            putState(params, flow.state());
            respond(resp, flow.redirectUri(), "query", params);
            return;
        }
        directory.grantUserConsent(user, flow.app(), Scopes.graphOnly(flow.scopes()));
        issueCode(resp, flow);
    }

    private void issueCode(HttpServletResponse resp, Flow flow) throws IOException {
        flows.remove(flow.id());
        String code = "0.A" + token(96);
        codes.put(code, new AuthCode(flow.app().clientId(), flow.redirectUri(), flow.userId(), flow.scopes(),
                flow.codeChallenge(), flow.challengeMethod(), flow.nonce(), clock.instant().plus(CODE_LIFETIME)));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        putState(params, flow.state());
        params.put("session_state", UUID.randomUUID().toString());
        respond(resp, flow.redirectUri(), flow.responseMode(), params);
    }

    private static void putState(Map<String, String> params, String state) {
        if (state != null) {
            params.put("state", state);
        }
    }

    private void redirectError(HttpServletResponse resp, String redirectUri, String mode, String state, String error,
                               int code, String description) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error);
        params.put("error_description", "AADSTS" + code + ": " + description);
        params.put("error_uri", "https://login.microsoftonline.com/error?code=" + code);
        putState(params, state);
        respond(resp, redirectUri, mode, params);
    }

    /** Sends the answer back to the app the way it asked: query, fragment or form_post. */
    private static void respond(HttpServletResponse resp, String redirectUri, String mode, Map<String, String> params)
            throws IOException {
        if ("form_post".equals(mode)) {
            Html.formPost(resp, redirectUri, params);
            return;
        }
        String encoded = params.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        String location = "fragment".equals(mode) ? redirectUri + "#" + encoded
                : redirectUri + (redirectUri.contains("?") ? "&" : "?") + encoded + "#";
        resp.setStatus(302);
        resp.setHeader("Location", location);
    }

    private static void errorPage(HttpServletResponse resp, int status, int code, String message) throws IOException {
        Html.page(resp, status, "Sign in", """
                <h1>Sorry, but we're having trouble signing you in.</h1>
                <p class="error" id="aadsts">AADSTS%d: %s</p>
                """.formatted(code, message));
    }

    // ---- /token ----

    private void token(HttpServletRequest req, HttpServletResponse resp, String tenantParam) throws IOException {
        resp.setHeader("Cache-Control", "no-store, no-cache");
        resp.setHeader("Pragma", "no-cache");
        String clientId = req.getParameter("client_id");
        String secret = req.getParameter("client_secret");
        String basic = req.getHeader("Authorization");
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8)
                    .split(":", 2);
            clientId = java.net.URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            secret = pair.length > 1 ? java.net.URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : null;
        }
        if (clientId == null) {
            tokenError(resp, 400, "invalid_request", 900144, "The request body must contain the following parameter: "
                    + "'client_id'.", null);
            return;
        }
        Optional<App> app = directory.app(clientId);
        if (app.isEmpty()) {
            tokenError(resp, 400, "unauthorized_client", 700016, "Application with identifier '" + clientId + "' was "
                    + "not found in the directory '" + tenantParam + "'. This can happen if the application has not "
                    + "been installed by the administrator of the tenant or consented to by any user in the tenant. "
                    + "You may have sent your authentication request to the wrong tenant.", null);
            return;
        }
        if (app.get().confidential() && (secret == null || secret.isEmpty())) {
            tokenError(resp, 401, "invalid_client", 7000218, "The request body must contain the following parameter: "
                    + "'client_assertion' or 'client_secret'.", null);
            return;
        }
        if (app.get().confidential() && !app.get().secrets().contains(secret)) {
            tokenError(resp, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being "
                    + "sent in the request is the client secret value, not the client secret ID, for a secret added "
                    + "to app '" + clientId + "'.", null);
            return;
        }
        if (!app.get().confidential() && secret != null) {
            tokenError(resp, 401, "invalid_client", 700025, "Client is public so neither 'client_assertion' nor "
                    + "'client_secret' should be presented.", null);
            return;
        }
        String grant = Optional.ofNullable(req.getParameter("grant_type")).orElse("");
        switch (grant) {
            case "authorization_code" -> authorizationCode(req, resp, app.get());
            case "refresh_token" -> refresh(req, resp, app.get());
            case "client_credentials" -> clientCredentials(req, resp, app.get(), tenantParam);
            default -> tokenError(resp, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant "
                    + "type '" + grant + "'.", null);
        }
    }

    private void authorizationCode(HttpServletRequest req, HttpServletResponse resp, App app) throws IOException {
        String code = req.getParameter("code");
        if (code == null) {
            tokenError(resp, 400, "invalid_request", 900144, "The request body must contain the following parameter: "
                    + "'code'.", null);
            return;
        }
        if (redeemed.contains(code)) {
            tokenError(resp, 400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please "
                    + "retry with a new valid code or use an existing refresh token.", null);
            return;
        }
        AuthCode grant = codes.get(code);
        if (grant == null || grant.expires().isBefore(clock.instant()) || !grant.clientId().equals(app.clientId())) {
            tokenError(resp, 400, "invalid_grant", 70008, "The provided authorization code or refresh token has "
                    + "expired due to inactivity. Send a new interactive authorization request for this user and "
                    + "resource.", null);
            return;
        }
        if (!grant.redirectUri().equals(req.getParameter("redirect_uri"))) {
            tokenError(resp, 400, "invalid_grant", 500112, "The reply address '" + req.getParameter("redirect_uri")
                    + "' does not match the reply address '" + grant.redirectUri() + "' provided when requesting "
                    + "Authorization code.", null);
            return;
        }
        if (grant.codeChallenge() != null && !pkceMatches(grant, req.getParameter("code_verifier"))) {
            tokenError(resp, 400, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge "
                    + "supplied in the authorization request.", null);
            return;
        }
        codes.remove(code);
        redeemed.add(code);
        User user = directory.user(grant.userId()).orElseThrow();
        Json.write(resp, 200, delegatedTokens(app, user, grant.scopes(), grant.nonce()), "application/json; charset=utf-8");
    }

    private static boolean pkceMatches(AuthCode grant, String verifier) {
        if (verifier == null || !verifier.matches("[A-Za-z0-9._~-]{43,128}")) {
            return false;
        }
        if (grant.challengeMethod().equals("plain")) {
            return verifier.equals(grant.codeChallenge());
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).equals(grant.codeChallenge());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void refresh(HttpServletRequest req, HttpServletResponse resp, App app) throws IOException {
        String token = req.getParameter("refresh_token");
        RefreshTokens.Grant grant = token == null ? null : refreshTokens.get(token).orElse(null);
        if (grant == null || !grant.clientId().equals(app.clientId())) {
            tokenError(resp, 400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.",
                    "bad_token");
            return;
        }
        User user = directory.user(grant.userId()).orElseThrow();
        Instant now = clock.instant();
        if (grant.lastUsed().plus(settings.refreshTokenMaxInactive()).isBefore(now)) {
            tokenError(resp, 400, "invalid_grant", 700082, "The refresh token has expired due to inactivity. The token "
                    + "was issued on " + grant.issued() + " and was inactive for "
                    + settings.refreshTokenMaxInactive().toDays() + ".00:00:00.", "bad_token");
            return;
        }
        if (grant.issued().isBefore(user.tokensValidFrom())) {
            tokenError(resp, 400, "invalid_grant", 50173, "The provided grant has expired due to it being revoked, a "
                    + "fresh auth token is needed. The user might have changed or reset their password. The grant was "
                    + "issued on '" + grant.issued() + "' and the TokensValidFrom date (before which tokens are not "
                    + "valid) for this user is '" + user.tokensValidFrom() + "'.", "bad_token");
            return;
        }
        if (user.mfaRequired()) {
            tokenError(resp, 400, "invalid_grant", 50076, "Due to a configuration change made by your administrator, "
                    + "or because you moved to a new location, you must use multi-factor authentication to access "
                    + "'00000003-0000-0000-c000-000000000000'.", "basic_action");
            return;
        }
        Set<String> scopes = grant.scopes();
        String asked = req.getParameter("scope");
        if (asked != null) {
            Set<String> parsed = Scopes.parse(asked);
            if (parsed == null) {
                tokenError(resp, 400, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is "
                        + "not valid.", null);
                return;
            }
            scopes = parsed;
        }
        Set<String> missing = Scopes.graphOnly(scopes);
        missing.removeAll(directory.consentedScopes(user, app));
        if (!missing.isEmpty()) {
            tokenError(resp, 400, "invalid_grant", 65001, "The user or administrator has not consented to use the "
                    + "application with ID '" + app.clientId() + "' named '" + app.displayName() + "'. Send an "
                    + "interactive authorization request for this user and resource.", "consent_required");
            return;
        }
        refreshTokens.put(token, new RefreshTokens.Grant(grant.clientId(), grant.userId(), grant.scopes(), grant.issued(),
                now));
        Set<String> withOffline = new java.util.LinkedHashSet<>(scopes);
        withOffline.add("offline_access");
        Json.write(resp, 200, delegatedTokens(app, user, withOffline, null), "application/json; charset=utf-8");
    }

    private void clientCredentials(HttpServletRequest req, HttpServletResponse resp, App app, String tenantParam)
            throws IOException {
        Optional<Tenant> tenant = directory.tenant(tenantParam).filter(t -> !t.id().equals(Directory.CONSUMERS));
        if (tenant.isEmpty()) {
            tokenError(resp, 400, "invalid_request", 9001023, "The grant type isn't supported over the /common or "
                    + "/consumers endpoints. Please use the /organizations or tenant-specific endpoint.", null);
            return;
        }
        if (!app.confidential()) {
            tokenError(resp, 401, "invalid_client", 7000218, "The request body must contain the following parameter: "
                    + "'client_assertion' or 'client_secret'.", null);
            return;
        }
        Set<String> asked = java.util.Arrays.stream(Optional.ofNullable(req.getParameter("scope")).orElse("")
                .trim().split("\\s+")).filter(s -> !Scopes.OIDC.contains(s)).collect(Collectors.toSet());
        if (!asked.equals(Set.of(Scopes.GRAPH + ".default"))) {
            tokenError(resp, 400, "invalid_scope", 1002012, "The provided value for scope " + String.join(" ", asked)
                    + " is not valid. Client credential flows must have a scope value with /.default suffixed to the "
                    + "resource identifier (application ID URI).", null);
            return;
        }
        Instant now = clock.instant();
        long lifetime = settings.accessTokenLifetime().toSeconds();
        ObjectNode claims = Json.object().put("aud", "https://graph.microsoft.com")
                .put("iss", "https://sts.windows.net/" + tenant.get().id() + "/")
                .put("iat", now.getEpochSecond()).put("nbf", now.getEpochSecond())
                .put("exp", now.getEpochSecond() + lifetime).put("appid", app.clientId())
                .put("app_displayname", app.displayName()).put("idtyp", "app").put("oid", app.clientId())
                .put("sub", app.clientId()).put("tid", tenant.get().id()).put("uti", token(16)).put("ver", "1.0");
        var roles = claims.putArray("roles");
        directory.appRoles(tenant.get(), app).stream().sorted().forEach(roles::add);
        ObjectNode body = Json.object().put("token_type", "Bearer").put("expires_in", lifetime)
                .put("ext_expires_in", lifetime).put("access_token", issuer.sign(claims));
        Json.write(resp, 200, body, "application/json; charset=utf-8");
    }

    private ObjectNode delegatedTokens(App app, User user, Set<String> scopes, String nonce) {
        Instant now = clock.instant();
        long lifetime = settings.accessTokenLifetime().toSeconds();
        Set<String> graph = Scopes.graphOnly(scopes);
        ObjectNode access = Json.object().put("aud", "https://graph.microsoft.com")
                .put("iss", "https://sts.windows.net/" + user.tenantId() + "/")
                .put("iat", now.getEpochSecond()).put("nbf", now.getEpochSecond())
                .put("exp", now.getEpochSecond() + lifetime).put("appid", app.clientId())
                .put("app_displayname", app.displayName()).put("name", user.displayName()).put("oid", user.id())
                .put("scp", String.join(" ", graph)).put("sub", user.id()).put("tid", user.tenantId())
                .put("upn", user.userPrincipalName()).put("uti", token(16)).put("ver", "1.0");
        ObjectNode body = Json.object().put("token_type", "Bearer")
                .put("scope", graph.stream().map(s -> Scopes.GRAPH + s).collect(Collectors.joining(" "))
                        + scopes.stream().filter(Scopes.OIDC::contains).filter(s -> !s.equals("offline_access"))
                        .map(s -> " " + s).collect(Collectors.joining()))
                .put("expires_in", lifetime).put("ext_expires_in", lifetime)
                .put("access_token", issuer.sign(access));
        if (scopes.contains("offline_access")) {
            String refresh = "1.A" + token(120);
            refreshTokens.put(refresh, new RefreshTokens.Grant(app.clientId(), user.id(), Set.copyOf(scopes), now, now));
            body.put("refresh_token", refresh);
        }
        if (scopes.contains("openid")) {
            ObjectNode id = Json.object().put("aud", app.clientId())
                    .put("iss", settings.issuerBase() + user.tenantId() + "/v2.0")
                    .put("iat", now.getEpochSecond()).put("nbf", now.getEpochSecond())
                    .put("exp", now.getEpochSecond() + 3600).put("name", user.displayName()).put("oid", user.id())
                    .put("preferred_username", user.userPrincipalName()).put("sub", user.id())
                    .put("tid", user.tenantId()).put("ver", "2.0");
            if (nonce != null) {
                id.put("nonce", nonce);
            }
            body.put("id_token", issuer.sign(id));
        }
        String clientInfo = "{\"uid\":\"" + user.id() + "\",\"utid\":\"" + user.tenantId() + "\"}";
        body.put("client_info", Base64.getUrlEncoder().withoutPadding().encodeToString(
                clientInfo.getBytes(StandardCharsets.UTF_8)));
        return body;
    }

    private void tokenError(HttpServletResponse resp, int status, String error, int code, String description,
                            String suberror) throws IOException {
        String trace = UUID.randomUUID().toString();
        String correlation = UUID.randomUUID().toString();
        String stamp = STAMP.format(clock.instant());
        ObjectNode body = Json.object().put("error", error)
                .put("error_description", "AADSTS" + code + ": " + description + "\r\nTrace ID: " + trace
                        + "\r\nCorrelation ID: " + correlation + "\r\nTimestamp: " + stamp);
        body.putArray("error_codes").add(code);
        body.put("timestamp", stamp).put("trace_id", trace).put("correlation_id", correlation)
                .put("error_uri", "https://login.microsoftonline.com/error?code=" + code);
        if (suberror != null) {
            body.put("suberror", suberror);
        }
        resp.setHeader("Cache-Control", "no-store, no-cache");
        Json.write(resp, status, body, "application/json; charset=utf-8");
    }

    // ---- discovery ----

    private ObjectNode openIdConfiguration(HttpServletRequest req, String tenantParam) {
        String base = base(req);
        String tid = directory.tenant(tenantParam).map(Tenant::id).orElse("{tenantid}");
        String t = directory.tenant(tenantParam).isPresent() ? tid : tenantParam;
        ObjectNode doc = Json.object()
                .put("token_endpoint", base + t + "/oauth2/v2.0/token")
                .put("jwks_uri", base + t + "/discovery/v2.0/keys")
                .put("issuer", base + tid + "/v2.0")
                .put("authorization_endpoint", base + t + "/oauth2/v2.0/authorize")
                .put("device_authorization_endpoint", base + t + "/oauth2/v2.0/devicecode")
                .put("end_session_endpoint", base + t + "/oauth2/v2.0/logout")
                .put("userinfo_endpoint", base + "oidc/userinfo")
                .put("request_uri_parameter_supported", false)
                .put("http_logout_supported", true).put("frontchannel_logout_supported", true)
                .put("tenant_region_scope", "WW").put("cloud_instance_name", "microsoftonline.com")
                .put("cloud_graph_host_name", "graph.windows.net").put("msgraph_host", req.getServerName());
        doc.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("private_key_jwt")
                .add("client_secret_basic");
        doc.putArray("response_modes_supported").add("query").add("fragment").add("form_post");
        doc.putArray("subject_types_supported").add("pairwise");
        doc.putArray("id_token_signing_alg_values_supported").add("RS256");
        doc.putArray("response_types_supported").add("code").add("id_token").add("code id_token").add("id_token token");
        doc.putArray("scopes_supported").add("openid").add("profile").add("email").add("offline_access");
        return doc;
    }

    private void instanceDiscovery(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String host = req.getServerName() + (req.getServerPort() == 443 ? "" : ":" + req.getServerPort());
        ObjectNode doc = Json.object().put("tenant_discovery_endpoint",
                        base(req) + "common/v2.0/.well-known/openid-configuration")
                .put("api-version", "1.1");
        ObjectNode metadata = doc.putArray("metadata").addObject().put("preferred_network", host)
                .put("preferred_cache", host);
        metadata.putArray("aliases").add(host);
        Json.write(resp, 200, doc, "application/json; charset=utf-8");
    }

    /** https://host[:port]/ as the client called it, so the documents work under any name that reaches us. */
    private static String base(HttpServletRequest req) {
        int port = req.getServerPort();
        return "https://" + req.getServerName() + (port == 443 ? "" : ":" + port) + "/";
    }

    private static String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
