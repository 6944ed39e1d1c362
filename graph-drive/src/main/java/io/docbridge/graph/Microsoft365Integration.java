package io.docbridge.graph;

import io.docbridge.api.HostContext;
import io.docbridge.api.Integration;
import io.docbridge.api.SettingField;
import io.docbridge.api.SettingsException;

import java.util.List;
import java.util.Map;

/**
 * The Microsoft 365 app registration the Microsoft plugins sign in with, as an {@link Integration}: each plugin
 * contributes it (an {@code @Extension} subclass of its own), the host keeps one set of values. The field names
 * are what {@link M365Settings} reads; the messages use Microsoft Entra admin center's words.
 */
public class Microsoft365Integration implements Integration {
    public static final String ID = "microsoft365";
    public static final String CLOUD = "cloud";
    public static final String TENANT = "tenant";
    public static final String CLIENT_ID = "clientId";
    public static final String CLIENT_SECRET = "clientSecret";
    public static final String PERSONAL_ACCOUNTS = "personalAccounts";
    /** PEM of an extra certificate authority to trust: a stand-in of Microsoft 365 (the emulator) has its own. */
    public static final String EXTRA_CA = "extraCaPem";
    /** The national clouds, by the names Microsoft's docs use. */
    public static final List<String> CLOUDS = List.of("Global", "US Government L4", "US Government L5 (DOD)", "China");
    private static final String GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Microsoft 365 app registration";
    }

    @Override
    public String description() {
        return "Register an app in Microsoft Entra admin center (App registrations → New registration), add the "
                + "redirect URIs below under Authentication → Web, and create a client secret under Certificates & "
                + "secrets.";
    }

    @Override
    public String environmentPrefix() {
        return "DOCBRIDGE_M365_";
    }

    @Override
    public List<SettingField> settingFields() {
        return List.of(SettingField.choice(CLOUD, "Cloud", "", CLOUDS),
                SettingField.text(TENANT, "Directory (tenant) ID", "Or the tenant's domain, such as "
                        + "contoso.onmicrosoft.com.", "", true),
                SettingField.text(CLIENT_ID, "Application (client) ID", "", "", true),
                SettingField.secret(CLIENT_SECRET, "Client secret value", "The secret's Value, shown once when you "
                        + "create it."),
                SettingField.flag(PERSONAL_ACCOUNTS, "People may also connect a personal OneDrive (Microsoft "
                        + "account)", "Needs supported account types \"Accounts in any organizational directory and "
                        + "personal Microsoft accounts\". OneDrive then signs in through common; SharePoint keeps "
                        + "your tenant."));
    }

    @Override
    public Map<String, String> validate(Map<String, String> submitted) {
        if (!CLOUDS.contains(submitted.getOrDefault(CLOUD, ""))) {
            throw new SettingsException(CLOUD, "Choose the cloud your tenant is in.");
        }
        String tenant = submitted.getOrDefault(TENANT, "").trim();
        if (!tenant.matches(GUID) && !tenant.matches("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+")) {
            throw new SettingsException(TENANT, "Enter the Directory (tenant) ID from the app's Overview page, or "
                    + "the tenant's domain (contoso.onmicrosoft.com).");
        }
        String clientId = submitted.getOrDefault(CLIENT_ID, "").trim();
        if (!clientId.matches(GUID)) {
            throw new SettingsException(CLIENT_ID, "Enter the Application (client) ID from the app's Overview page: "
                    + "a GUID such as 00001111-aaaa-2222-bbbb-3333cccc4444.");
        }
        if (submitted.getOrDefault(CLIENT_SECRET, "").isBlank()) {
            throw new SettingsException(CLIENT_SECRET, "Enter a client secret's Value (Certificates & secrets), not "
                    + "its Secret ID.");
        }
        return Map.of(CLOUD, submitted.get(CLOUD), TENANT, tenant, CLIENT_ID, clientId, CLIENT_SECRET,
                submitted.get(CLIENT_SECRET).trim(), PERSONAL_ACCOUNTS, Boolean.toString(Boolean.parseBoolean(
                        submitted.getOrDefault(PERSONAL_ACCOUNTS, "false"))));
    }

    @Override
    public String summary(Map<String, String> values) {
        return "Connected to tenant " + values.get(TENANT) + " (" + values.get(CLOUD) + "), app " + values.get(CLIENT_ID)
                + (Boolean.parseBoolean(values.get(PERSONAL_ACCOUNTS)) ? ", personal OneDrive accounts allowed" : "");
    }

    /** This plugin's redirect URI, where the host answers its sign-ins. */
    @Override
    public List<String> registrationNotes(HostContext host) {
        return List.of(host.signIns().redirectUri().toString());
    }
}
