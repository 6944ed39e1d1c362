package io.docbridge.graph;

import okhttp3.Interceptor;
import okhttp3.Response;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Bounds how many Graph requests one plugin has in flight toward one tenant, across all its connections and
 * drives. SharePoint Online throttles a tenant as a whole, so many syncs starting together would otherwise earn 429s
 * for everyone; Microsoft's guidance is to reduce concurrency rather than retry harder. A permit is held from
 * sending a request until its response headers arrive (a download's body then streams without one).
 */
final class TenantRequestLimit implements Interceptor {
    /** Requests in flight per tenant and plugin. */
    static final int PER_TENANT = 4;
    private static final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

    private final Semaphore tenant;

    TenantRequestLimit(GraphConnection connection) {
        String key = connection.cloud().graph().getAuthority() + "/" + connection.tenant().toLowerCase(Locale.ROOT);
        this.tenant = permits.computeIfAbsent(key, k -> new Semaphore(PER_TENANT, true));
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        try {
            tenant.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a turn to call Microsoft Graph");
        }
        try {
            return chain.proceed(chain.request());
        } finally {
            tenant.release();
        }
    }
}
