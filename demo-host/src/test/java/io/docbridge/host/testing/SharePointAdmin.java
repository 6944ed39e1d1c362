package io.docbridge.host.testing;

import io.docbridge.emulator.DemoSeed;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.SignInBrowser;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test support: an organisation administrator setting up SharePoint Online storage in an offline host, over HTTP
 * (the host's pages, the plugin's servlets, the emulated Microsoft pages).
 */
public final class SharePointAdmin {
    private final WebClient admin;
    private final M365Emulator emulator;

    public SharePointAdmin(WebClient admin, M365Emulator emulator) {
        this.admin = admin;
        this.emulator = emulator;
    }

    /** Follows a redirect that may be relative to the page it came from. */
    public HttpResponse<String> follow(String from, HttpResponse<String> redirect) {
        String location = redirect.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("no redirect: " + redirect.statusCode() + "\n" + redirect.body()));
        URI target = URI.create(from).resolve(location);
        return admin.get(target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
    }

    public static String link(String page, String cssClass, String text) {
        return WebClient.find(page, "class=\"" + cssClass + "\" href=\"([^\"]+)\">" + text)
                .replace("&amp;", "&");
    }

    /** Connect with Microsoft through the emulated pages; returns the page the callback leads to. */
    public HttpResponse<String> connect(String user, boolean accept) throws Exception {
        HttpResponse<String> toMicrosoft = admin.get(admin.linkOn("/settings/storage/add/sharepoint",
                "connect-microsoft"));
        assertEquals(302, toMicrosoft.statusCode(), toMicrosoft.body());
        SignInBrowser person = new SignInBrowser(emulator);
        person.get(toMicrosoft.headers().firstValue("Location").orElseThrow());
        assertTrue(person.page.contains("Offline demo: Microsoft 365 is emulated."), "no demo accounts on the page");
        HttpResponse<String> signedIn = person.signIn(user, DemoSeed.PASSWORD);
        HttpResponse<String> answer = person.page.contains("Permissions requested")
                ? person.submit(Map.of("decision", accept ? "accept" : "cancel")) : signedIn;
        // Microsoft redirects the browser to the callback with the answer in the query: the session cookie goes along.
        return admin.callback("/plugins/sharepoint/callback", SignInBrowser.delivered(answer));
    }

    /** Connect, choose the Project Document Control site's Documents library, save; returns the provider id. */
    public String connectAndSave() throws Exception {
        return connectAndSave("Docbridge");
    }

    public String connectAndSave(String rootFolder) throws Exception {
        HttpResponse<String> callback = connect("megan@" + DemoSeed.TENANT_DOMAIN, true);
        assertEquals(303, callback.statusCode(), callback.body());
        String sites = follow("/plugins/sharepoint/callback", callback).body();
        assertTrue(sites.contains("Signed in as megan@contoso.onmicrosoft.com"), sites);

        String libraries = admin.get(link(sites, "site", "Project Document Control")).body();
        assertTrue(libraries.contains(">Transmittals<"), libraries);
        String form = follow("/plugins/sharepoint/choose", admin.get(link(libraries, "library", "Documents"))).body();
        assertTrue(form.contains("id=\"chosen-library\""), form);
        assertTrue(form.contains("<strong>Documents</strong>"));

        Map<String, String> fields = new java.util.HashMap<>();
        for (String name : new String[]{"connection", "account", "site", "siteName", "library", "libraryName"}) {
            fields.put(name, WebClient.find(form, "name=\"" + name + "\" value=\"([^\"]*)\"").replace("&#39;", "'"));
        }
        fields.put("name", "SharePoint · Project Document Control");
        fields.put("layout", "BY_PROJECT");
        fields.put("root", rootFolder);
        HttpResponse<String> saved = admin.post("/settings/storage/add/sharepoint", fields);
        assertEquals(303, saved.statusCode(), saved.body());
        String providerId = WebClient.find(saved.headers().firstValue("Location").orElseThrow(), "#provider-(.+)");

        return providerId;
    }

}
