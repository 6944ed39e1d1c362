package io.docbridge.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Test support: the person at the browser in a code flow. Opens the sign-in URL, fills in the emulator's real pages
 * and returns what arrives at the redirect URI; follows forms and redirects as a browser would, nothing more.
 * Not thread-safe: one per simulated person.
 */
public final class SignInBrowser {
    private static final Pattern FORM = Pattern.compile("<form method=\"(?:post|POST)\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private final M365Emulator emulator;
    private final HttpClient http;
    /** The last page shown, for assertions. */
    public String page = "";
    /** The last status code. */
    public int status;

    public SignInBrowser(M365Emulator emulator) {
        this.emulator = emulator;
        this.http = HttpClient.newBuilder().sslContext(emulator.clientSslContext())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        page = r.body();
        status = r.statusCode();
        return r;
    }

    /** Submits the page's form with its hidden fields plus these. */
    public HttpResponse<String> submit(Map<String, String> fields) throws IOException, InterruptedException {
        Matcher form = FORM.matcher(page);
        if (!form.find()) {
            throw new AssertionError("no form on the page:\n" + page);
        }
        Map<String, String> all = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(page);
        while (hidden.find()) {
            all.put(unescape(hidden.group(1)), unescape(hidden.group(2)));
        }
        all.putAll(fields);
        URI target = emulator.baseUrl().resolve(unescape(form.group(1)));
        String body = all.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(target)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        page = r.body();
        status = r.statusCode();
        return r;
    }

    /** Signs in on the page shown now. */
    public HttpResponse<String> signIn(String username, String password) throws IOException, InterruptedException {
        return submit(Map.of("username", username, "password", password));
    }

    /**
     * A PKCE pair (RFC 7636, S256), for a client in a test that signs in without the host (which makes its own).
     *
     * @param verifier  43 characters of base64url randomness, for the redemption
     * @param challenge base64url(SHA-256(verifier)), for the authorization request
     */
    public record Pkce(String verifier, String challenge) {
        public static Pkce create() {
            byte[] bytes = new byte[32];
            new java.security.SecureRandom().nextBytes(bytes);
            String verifier = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The parameters the app received at its redirect URI, from a 302 (query) or an auto-posted form. */
    public static Map<String, String> delivered(HttpResponse<String> response) {
        Map<String, String> params = new LinkedHashMap<>();
        if (response.statusCode() == 302) {
            String location = response.headers().firstValue("Location").orElseThrow();
            String query = URI.create(location).getRawQuery();
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
            return params;
        }
        Matcher hidden = HIDDEN.matcher(response.body());
        while (hidden.find()) {
            params.put(unescape(hidden.group(1)), unescape(hidden.group(2)));
        }
        if (params.isEmpty()) {
            throw new AssertionError("nothing was delivered to the app: " + response.statusCode() + "\n" + response.body());
        }
        return params;
    }

    /**
     * The whole walk for a consenting user: opens the URL, signs in, accepts the consent page if one is shown, and
     * returns the parameters delivered to the redirect URI (code and state, or error).
     */
    public Map<String, String> signInAndConsent(String url, String username, String password)
            throws IOException, InterruptedException {
        get(url);
        HttpResponse<String> response = signIn(username, password);
        if (response.statusCode() == 200 && page.contains("Permissions requested")) {
            response = submit(Map.of("decision", "accept"));
        }
        return delivered(response);
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
