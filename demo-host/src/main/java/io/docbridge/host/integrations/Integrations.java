package io.docbridge.host.integrations;

import io.docbridge.api.Integration;
import io.docbridge.api.SecretStore;
import io.docbridge.api.SettingField;
import io.docbridge.api.SettingsException;
import io.docbridge.host.plugins.PluginSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The integrations the running plugins contribute ({@link Integration}), one per id however many plugins contribute
 * it, and their values: from the environment (fixed), else saved by an administrator, else those of the offline
 * demo's stand-in. Values are kept encrypted among the host's own secrets (never in a plugin's stores), so every
 * instance of a cluster reads the same, and a change applies at a plugin's next use.
 */
public final class Integrations {
    private static final Logger log = LoggerFactory.getLogger(Integrations.class);

    /** Where an integration's values come from. */
    public enum Source { ENVIRONMENT, SAVED, DEMO, NONE }

    private final SecretStore store;
    private final Map<String, String> environment;
    private final Supplier<PluginSystem> plugins;
    /**
     * Values this process is still preparing (the offline demo's stand-in, which starts once the host answers):
     * reading them waits until they are written, so a sign-in started in the first second finds them.
     */
    private final Map<String, Preparation> preparing = new ConcurrentHashMap<>();

    /** Values being prepared: done when {@code ready} is; {@code startNow} begins a preparation that waits. */
    private record Preparation(CompletableFuture<?> ready, Runnable startNow) {
    }

    /**
     * @param store       the host's own secrets
     * @param environment the process environment (variables named by each integration's prefix)
     */
    public Integrations(SecretStore store, Map<String, String> environment, Supplier<PluginSystem> plugins) {
        this.store = store;
        this.environment = Map.copyOf(environment);
        this.plugins = plugins;
    }

    /** The integrations of the running plugins, one per id, in the order first seen. */
    public List<Integration> all() {
        Map<String, Integration> byId = new LinkedHashMap<>();
        PluginSystem system = plugins.get();
        if (system != null) {
            system.extensions(Integration.class).forEach(i -> byId.putIfAbsent(i.id(), i));
        }
        return List.copyOf(byId.values());
    }

    public Optional<Integration> find(String id) {
        return all().stream().filter(i -> i.id().equals(id)).findFirst();
    }

    /** Whether a plugin contributes the integration (only such plugins are given its values). */
    public boolean contributes(String pluginId, String id) {
        PluginSystem system = plugins.get();
        return system != null && system.extensions(Integration.class, pluginId).stream()
                .anyMatch(i -> i.id().equals(id));
    }

    /**
     * Reads of the integration's values wait for {@code ready} (done, failed or not) from now on. A preparation may
     * wait for a quieter moment to begin; a read that comes first calls {@code startNow} and waits for it.
     */
    public void preparing(String id, CompletableFuture<?> ready, Runnable startNow) {
        Preparation preparation = new Preparation(ready, startNow);
        preparing.put(id, preparation);
        ready.whenComplete((done, failed) -> preparing.remove(id, preparation));
    }

    private void awaitPrepared(String id) {
        Preparation preparation = preparing.get(id);
        if (preparation != null) {
            preparation.startNow().run();
            try {
                preparation.ready().get(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // whoever prepared them says what went wrong; the values are read as they are
            }
        }
    }

    public Source source(String id) {
        awaitPrepared(id);
        if (!fromEnvironment(id).isEmpty()) {
            return Source.ENVIRONMENT;
        }
        if (stored(id, "saved").isPresent()) {
            return Source.SAVED;
        }
        return stored(id, "demo").isPresent() ? Source.DEMO : Source.NONE;
    }

    /** The values in force, secrets included; empty when the integration is not configured. */
    public Map<String, String> values(String id) {
        awaitPrepared(id);
        Map<String, String> env = fromEnvironment(id);
        if (!env.isEmpty()) {
            return env;
        }
        return stored(id, "saved").or(() -> stored(id, "demo")).orElse(Map.of());
    }

    /** What an administrator saved, secret fields blanked, for the form; empty if nothing is saved. */
    public Map<String, String> savedForForm(String id) {
        Map<String, String> saved = new HashMap<>(source(id) == Source.ENVIRONMENT ? fromEnvironment(id)
                : stored(id, "saved").orElse(Map.of()));
        find(id).ifPresent(i -> i.settingFields().stream().filter(f -> f.kind() == SettingField.Kind.SECRET)
                .forEach(f -> saved.remove(f.name())));
        return saved;
    }

    /**
     * Checks and keeps an administrator's values; a secret field left empty keeps the saved one.
     *
     * @throws SettingsException naming the field that is not acceptable
     * @throws IllegalStateException when the environment fixes the values
     */
    public void save(String id, Map<String, String> submitted) {
        Integration integration = find(id).orElseThrow(() -> new SettingsException("", "No running plugin offers "
                + id + "."));
        if (source(id) == Source.ENVIRONMENT) {
            throw new SettingsException(integration.settingFields().get(0).name(), "These values are set by the "
                    + "environment (" + integration.environmentPrefix() + "*); change them there.");
        }
        Map<String, String> values = new HashMap<>(submitted);
        Map<String, String> saved = stored(id, "saved").orElse(Map.of());
        for (SettingField field : integration.settingFields()) {
            if (field.kind() == SettingField.Kind.SECRET && values.getOrDefault(field.name(), "").isBlank()) {
                values.put(field.name(), saved.getOrDefault(field.name(), ""));
            }
        }
        Map<String, String> kept = integration.validate(values);
        store.put(key(id, "saved"), encode(kept));
        log.info("Integration {}: an administrator saved new values", id);
    }

    /** Forgets what an administrator saved (the demo's values, if any, apply again). */
    public void forgetSaved(String id) {
        store.delete(key(id, "saved"));
    }

    /** Sets the offline demo's values: those of a stand-in the host runs. */
    public void demo(String id, Map<String, String> values) {
        store.put(key(id, "demo"), encode(values));
    }

    /** The offline demo's values, as any instance set them last. */
    public Optional<Map<String, String>> demo(String id) {
        return stored(id, "demo");
    }

    /** A field's value from the environment: the integration's prefix, then the name in upper snake case. */
    private Map<String, String> fromEnvironment(String id) {
        Optional<Integration> integration = find(id);
        if (integration.isEmpty()) {
            return Map.of();
        }
        Map<String, String> values = new HashMap<>();
        for (SettingField field : integration.get().settingFields()) {
            String variable = integration.get().environmentPrefix() + field.name()
                    .replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
            Optional.ofNullable(environment.get(variable)).filter(v -> !v.isBlank())
                    .ifPresent(v -> values.put(field.name(), v.trim()));
        }
        boolean complete = integration.get().settingFields().stream()
                .noneMatch(f -> f.required() && !values.containsKey(f.name()));
        if (!complete) {
            return Map.of();
        }
        integration.get().settingFields().forEach(f -> values.putIfAbsent(f.name(), f.defaultValue()));
        return values;
    }

    private Optional<Map<String, String>> stored(String id, String which) {
        return store.get(key(id, which)).map(Integrations::decode);
    }

    private static String key(String id, String which) {
        return "integration/" + id + "/" + which;
    }

    private static String encode(Map<String, String> values) {
        return values.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> decode(String stored) {
        Map<String, String> values = new HashMap<>();
        for (String pair : stored.isEmpty() ? new String[0] : stored.split("&")) {
            String[] kv = pair.split("=", 2);
            values.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return values;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    /** The registration notes of every running plugin that contributes the integration (its redirect URI…). */
    public List<String> notes(String id, java.util.function.Function<String, io.docbridge.api.HostContext> contexts) {
        List<String> notes = new ArrayList<>();
        PluginSystem system = plugins.get();
        if (system == null) {
            return notes;
        }
        for (String pluginId : system.startedIds()) {
            system.extensions(Integration.class, pluginId).stream().filter(i -> i.id().equals(id)).findFirst()
                    .ifPresent(i -> notes.addAll(i.registrationNotes(contexts.apply(pluginId))));
        }
        return notes;
    }
}
