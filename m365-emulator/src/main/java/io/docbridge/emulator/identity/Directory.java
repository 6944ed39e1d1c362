package io.docbridge.emulator.identity;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who exists and what they agreed to: tenants with their consent policy, users, app registrations, and the
 * consent grants (a user's own, or an administrator's for the whole tenant). Thread-safe.
 */
public final class Directory {

    /**
     * @param userConsentAllowed false when the tenant requires an administrator to approve apps (AADSTS90094)
     */
    public record Tenant(String id, String domain, String displayName, boolean userConsentAllowed) {
        public Tenant withUserConsentAllowed(boolean allowed) {
            return new Tenant(id, domain, displayName, allowed);
        }
    }

    /**
     * @param tokensValidFrom refresh tokens issued before this are revoked (a password change, "revoke sessions")
     * @param mfaRequired     refresh fails with AADSTS50076 until the user signs in interactively again
     */
    public record User(String id, String tenantId, String userPrincipalName, String displayName, String password,
                       boolean tenantAdmin, Instant tokensValidFrom, boolean mfaRequired) {
        public String givenName() {
            return displayName.split(" ")[0];
        }

        public String surname() {
            String[] parts = displayName.split(" ");
            return parts.length > 1 ? parts[parts.length - 1] : "";
        }
    }

    /**
     * An app registration.
     *
     * @param secrets          client secrets; empty for a public client
     * @param redirectUris     exact redirect URIs allowed on /authorize
     * @param personalAccounts whether its supported account types include personal Microsoft accounts
     *                         ("Accounts in any organizational directory and personal Microsoft accounts")
     */
    public record App(String clientId, String displayName, List<String> redirectUris, List<String> secrets,
                      boolean personalAccounts) {
        public App(String clientId, String displayName, List<String> redirectUris, List<String> secrets) {
            this(clientId, displayName, redirectUris, secrets, false);
        }

        public boolean confidential() {
            return !secrets.isEmpty();
        }

        /** Without the secrets, which stay out of logs. */
        @Override
        public String toString() {
            return "App[clientId=" + clientId + ", displayName=" + displayName + ", redirectUris=" + redirectUris
                    + ", secrets=" + secrets.size() + " hidden, personalAccounts=" + personalAccounts + "]";
        }

        public App withPersonalAccounts(boolean allowed) {
            return new App(clientId, displayName, redirectUris, secrets, allowed);
        }
    }

    /** The tenant id every personal Microsoft account (outlook.com, hotmail.com, live.com) signs in with. */
    public static final String CONSUMERS = "9188040d-6c67-4c5b-b112-36a304b66dad";

    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    /** "tenantId|clientId" → delegated scopes an administrator granted for everyone. */
    private final Map<String, Set<String>> adminConsents = new ConcurrentHashMap<>();
    /** "userId|clientId" → delegated scopes the user granted. */
    private final Map<String, Set<String>> userConsents = new ConcurrentHashMap<>();
    /** "tenantId|clientId" → application roles granted (client credentials), such as Sites.Selected. */
    private final Map<String, Set<String>> appRoles = new ConcurrentHashMap<>();

    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

    /** Everything the directory holds, for saving to disk. */
    public record Snapshot(List<Tenant> tenants, List<User> users, List<App> apps, Map<String, Set<String>> adminConsents,
                           Map<String, Set<String>> userConsents, Map<String, Set<String>> appRoles) {
    }

    public Snapshot snapshot() {
        return new Snapshot(List.copyOf(tenants.values()), List.copyOf(users.values()), List.copyOf(apps.values()),
                Map.copyOf(adminConsents), Map.copyOf(userConsents), Map.copyOf(appRoles));
    }

    public void restore(Snapshot snapshot) {
        snapshot.tenants().forEach(t -> tenants.put(t.id(), t));
        snapshot.users().forEach(u -> users.put(u.id(), u));
        snapshot.apps().forEach(a -> apps.put(a.clientId(), a));
        adminConsents.putAll(snapshot.adminConsents());
        userConsents.putAll(snapshot.userConsents());
        appRoles.putAll(snapshot.appRoles());
    }

    /** Grows with every change, so a saver can tell whether there is anything new to write. */
    public long changes() {
        return changes.get();
    }

    public Tenant addTenant(String domain, String displayName, boolean userConsentAllowed) {
        changes.incrementAndGet();
        Tenant tenant = new Tenant(UUID.randomUUID().toString(), domain, displayName, userConsentAllowed);
        tenants.put(tenant.id(), tenant);
        return tenant;
    }

    public User addUser(Tenant tenant, String upnPrefix, String displayName, String password, boolean tenantAdmin) {
        changes.incrementAndGet();
        User user = new User(UUID.randomUUID().toString(), tenant.id(), upnPrefix + "@" + tenant.domain(), displayName,
                password, tenantAdmin, Instant.EPOCH, false);
        users.put(user.id(), user);
        return user;
    }

    /** A personal Microsoft account (such as pat@outlook.com), in the consumers "tenant". */
    public User addPersonalAccount(String email, String displayName, String password) {
        tenants.computeIfAbsent(CONSUMERS, id -> new Tenant(id, "consumers", "Microsoft accounts", true));
        changes.incrementAndGet();
        User user = new User(UUID.randomUUID().toString(), CONSUMERS, email, displayName, password, false,
                Instant.EPOCH, false);
        users.put(user.id(), user);
        return user;
    }

    public App addApp(String displayName, List<String> redirectUris, List<String> secrets) {
        changes.incrementAndGet();
        App app = new App(UUID.randomUUID().toString(), displayName, List.copyOf(redirectUris), List.copyOf(secrets));
        apps.put(app.clientId(), app);
        return app;
    }

    /** Replaces an app registration (its redirect URIs or secrets changed). */
    public void putApp(App app) {
        changes.incrementAndGet();
        apps.put(app.clientId(), app);
    }

    public void putTenant(Tenant tenant) {
        changes.incrementAndGet();
        tenants.put(tenant.id(), tenant);
    }

    public void putUser(User user) {
        changes.incrementAndGet();
        users.put(user.id(), user);
    }

    /** By id or domain ("contoso.onmicrosoft.com"); empty for common, organizations and anything unknown. */
    public Optional<Tenant> tenant(String idOrDomain) {
        Tenant byId = tenants.get(idOrDomain);
        if (byId != null) {
            return Optional.of(byId);
        }
        return tenants.values().stream().filter(t -> t.domain().equalsIgnoreCase(idOrDomain)).findFirst();
    }

    public Collection<Tenant> tenants() {
        return tenants.values();
    }

    public Optional<User> user(String id) {
        return Optional.ofNullable(users.get(id));
    }

    public Optional<User> userByName(String userPrincipalName) {
        return users.values().stream().filter(u -> u.userPrincipalName().equalsIgnoreCase(userPrincipalName)).findFirst();
    }

    public Collection<User> users() {
        return users.values();
    }

    public Optional<App> app(String clientId) {
        return Optional.ofNullable(apps.get(clientId));
    }

    public Collection<App> apps() {
        return apps.values();
    }

    public void grantUserConsent(User user, App app, Set<String> scopes) {
        changes.incrementAndGet();
        userConsents.merge(user.id() + "|" + app.clientId(), Set.copyOf(scopes), Directory::union);
    }

    public void grantAdminConsent(Tenant tenant, App app, Set<String> scopes) {
        changes.incrementAndGet();
        adminConsents.merge(tenant.id() + "|" + app.clientId(), Set.copyOf(scopes), Directory::union);
    }

    /** Withdraws every delegated consent for the app in the tenant (an administrator removed the app's grants). */
    public void revokeConsent(Tenant tenant, App app) {
        changes.incrementAndGet();
        adminConsents.remove(tenant.id() + "|" + app.clientId());
        users.values().stream().filter(u -> u.tenantId().equals(tenant.id()))
                .forEach(u -> userConsents.remove(u.id() + "|" + app.clientId()));
    }

    /** The delegated scopes the user may give the app now: their own consent plus the tenant's. */
    public Set<String> consentedScopes(User user, App app) {
        Set<String> all = new java.util.HashSet<>(userConsents.getOrDefault(user.id() + "|" + app.clientId(), Set.of()));
        all.addAll(adminConsents.getOrDefault(user.tenantId() + "|" + app.clientId(), Set.of()));
        return all;
    }

    public void grantAppRole(Tenant tenant, App app, String role) {
        changes.incrementAndGet();
        appRoles.merge(tenant.id() + "|" + app.clientId(), Set.of(role), Directory::union);
    }

    public Set<String> appRoles(Tenant tenant, App app) {
        return appRoles.getOrDefault(tenant.id() + "|" + app.clientId(), Set.of());
    }

    /** Revokes every refresh token the user holds, as a password change does (AADSTS50173 afterwards). */
    public void revokeSessions(User user, Instant now) {
        changes.incrementAndGet();
        users.put(user.id(), new User(user.id(), user.tenantId(), user.userPrincipalName(), user.displayName(),
                user.password(), user.tenantAdmin(), now, user.mfaRequired()));
    }

    public void requireMfa(User user, boolean required) {
        changes.incrementAndGet();
        users.put(user.id(), new User(user.id(), user.tenantId(), user.userPrincipalName(), user.displayName(),
                user.password(), user.tenantAdmin(), user.tokensValidFrom(), required));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
