package io.docbridge.graph;

import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds how many Graph requests one plugin has in flight toward one tenant, across all its connections and
 * drives. SharePoint Online throttles a tenant as a whole, so many syncs starting together would otherwise earn 429s
 * for everyone; Microsoft's guidance is to reduce concurrency rather than retry harder. A permit is held from
 * sending a request until its JSON answer is read and closed (the SDK always closes those); a download's body, which
 * its caller may stream for minutes, gives the permit back as its headers arrive.
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
        Response response;
        try {
            response = chain.proceed(chain.request());
        } catch (IOException | RuntimeException e) {
            tenant.release();
            throw e;
        }
        ResponseBody body = response.body();
        if (body == null || !response.header("Content-Type", "").startsWith("application/json")) {
            tenant.release();
            return response;
        }
        AtomicBoolean released = new AtomicBoolean();
        BufferedSource source = Okio.buffer(new ForwardingSource(body.source()) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    if (released.compareAndSet(false, true)) {
                        tenant.release();
                    }
                }
            }
        });
        return response.newBuilder().body(ResponseBody.create(source, body.contentType(), body.contentLength()))
                .build();
    }
}
