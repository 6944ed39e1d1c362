package io.docbridge.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Talks to a test host the way a browser does: cookies kept, redirects not followed (so tests see them), the CSRF
 * token read from the last page and sent with forms.
 */
public final class WebClient {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final URI base;
    private final CookieManager cookies;
    private final HttpClient http;
    private String csrf = "";

    /** @param base the host's address, such as {@code http://localhost:8080/} */
    public WebClient(URI base) {
        this(base, new CookieManager(), "");
    }

    private WebClient(URI base, CookieManager cookies, String csrf) {
        this.base = base;
        this.cookies = cookies;
        this.csrf = csrf;
        this.http = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The same browser (its cookies, its form token) sent to another instance, as a load balancer would. */
    public WebClient at(URI otherInstance) {
        return new WebClient(otherInstance, cookies, csrf);
    }

    /** This session's cookies, for another client acting in the same session. */
    public CookieManager cookies() {
        return cookies;
    }

    public HttpResponse<String> get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url(path)).GET());
        remember(response);
        return response;
    }

    public HttpResponse<byte[]> download(String path) {
        try {
            return http.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI url(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** Posts a form with the session's CSRF token (fetch a page first). */
    public HttpResponse<String> post(String path, Map<String, String> form) {
        Map<String, String> withToken = new LinkedHashMap<>(form);
        withToken.putIfAbsent("_csrf", csrf);
        return postRaw(path, withToken);
    }

    /** Posts a form exactly as given: no token added. */
    public HttpResponse<String> postRaw(String path, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(url(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        remember(response);
        return response;
    }

    /**
     * Brings Microsoft's answer to a plugin's sign-in callback as the browser does: a redirect to the callback with
     * the answer in the query string, with this client's cookies.
     */
    public HttpResponse<String> callback(String path, Map<String, String> answer) {
        return get(path + "?" + answer.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&")));
    }

    /** Posts a multipart form with one file part named {@code file}, and the CSRF token. */
    public HttpResponse<String> upload(String path, Map<String, String> fields, String fileName, byte[] content) {
        String boundary = "----docbridge" + UUID.randomUUID();
        List<byte[]> parts = new ArrayList<>();
        Map<String, String> withToken = new LinkedHashMap<>();
        withToken.put("_csrf", csrf);
        withToken.putAll(fields);
        for (var e : withToken.entrySet()) {
            parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n"
                    + e.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        parts.add(content);
        parts.add(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(url(path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(parts)));
        remember(response);
        return response;
    }

    public void login(String username, String password) {
        get("/login");
        HttpResponse<String> response = post("/login", Map.of("username", username, "password", password,
                "next", "/documents"));
        assertEquals(303, response.statusCode(), "sign-in failed: " + response.body());
        get("/documents");
    }

    /** Follows a 303 and returns the page it leads to. */
    public HttpResponse<String> follow(HttpResponse<String> redirect) {
        assertEquals(303, redirect.statusCode(), () -> "expected a redirect, got: " + redirect.body());
        String location = redirect.headers().firstValue("Location").orElseThrow();
        return get(URI.create(location).getRawPath() + (URI.create(location).getRawQuery() == null ? ""
                : "?" + URI.create(location).getRawQuery()));
    }

    /** Waits until the page shows {@code expect} and no sync is running on it, and returns it. */
    public String afterSync(String path, String expect) throws InterruptedException {
        String page = "";
        for (int i = 0; i < 400; i++) { // 20 s: a busy CI machine
            page = this.get(path).body();
            if (page.contains(expect) && !page.contains("Syncing")) {
                return page;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never saw " + expect + " in:\n" + page);
    }

    /**
     * The link with this id on a page of the host (a type form's "Connect with Microsoft", say), ready to GET: each
     * opening of a type form starts a setup, which the link carries.
     */
    public String linkOn(String page, String id) {
        HttpResponse<String> shown = this.get(page);
        return find(shown.body(), "id=\"" + id + "\" href=\"([^\"]+)\"").replace("&amp;", "&");
    }

    /**
     * Starts Connect with Microsoft from the host: {@code start} is a type form (its "Connect with Microsoft" link is
     * followed) or a Reconnect address (its redirect to the plugin is followed). Returns the plugin's answer: a
     * redirect to Microsoft, or a page that says why not.
     */
    public HttpResponse<String> connect(String start) {
        String first = start.contains("/add/") ? linkOn(start, "connect-microsoft") : start;
        HttpResponse<String> answer = get(first);
        return answer.statusCode() == 303 ? follow(answer) : answer;
    }

    /** The first match of a pattern's first group in a page, for ids and links. */
    public static String find(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        if (!m.find()) {
            throw new AssertionError("no match for " + regex + " in page:\n" + html);
        }
        return m.group(1);
    }

    private void remember(HttpResponse<String> response) {
        Matcher m = CSRF.matcher(response.body());
        if (m.find()) {
            csrf = m.group(1);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
