package io.docbridge.host.testing;

import io.docbridge.emulator.DemoSeed;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.SignInBrowser;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** Connects a person's OneDrive in My Files over HTTP, as the pages do: sign in at Microsoft, consent, save. */
public final class OneDriveConnect {
    /** The drive's id, and the fields its form submitted (its connection, among others). */
    public record Connected(String driveId, Map<String, String> fields) {
    }

    private OneDriveConnect() {
    }

    /** @param user the demo tenant's user name before the @, such as "adele" */
    public static Connected add(WebClient person, M365Emulator emulator, String user) throws Exception {
        HttpResponse<String> toMicrosoft = person.get(person.linkOn("/files/add/onedrive", "connect-microsoft"));
        Map<String, String> answer = new SignInBrowser(emulator).signInAndConsent(toMicrosoft.headers()
                .firstValue("Location").orElseThrow(), user + "@" + DemoSeed.TENANT_DOMAIN, DemoSeed.PASSWORD);
        HttpResponse<String> back = person.callback("/plugins/onedrive/callback", answer);
        if (back.statusCode() != 303) {
            throw new AssertionError("the callback answered " + back.statusCode() + ": " + back.body());
        }
        HttpResponse<String> handedBack = new SharePointAdmin(person, emulator).follow("/plugins/onedrive/callback", back);
        String form = handedBack.body();
        if (!form.contains("Connected as <strong>" + user + "@")) {
            throw new AssertionError("not connected:\n" + form);
        }
        Map<String, String> fields = new HashMap<>();
        for (String name : new String[]{"connection", "account", "drive", "driveName"}) {
            fields.put(name, WebClient.find(form, "name=\"" + name + "\" value=\"([^\"]*)\""));
        }
        fields.put("name", "My OneDrive");
        HttpResponse<String> saved = person.post("/files/add/onedrive", fields);
        if (saved.statusCode() != 303) {
            throw new AssertionError("saving the drive answered " + saved.statusCode() + ": " + saved.body());
        }
        return new Connected(WebClient.find(saved.headers().firstValue("Location").orElseThrow(),
                "/files/([0-9a-f-]{36})"), fields);
    }
}
