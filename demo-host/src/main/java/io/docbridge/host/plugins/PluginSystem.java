package io.docbridge.host.plugins;

import io.docbridge.api.PluginServlets;
import io.docbridge.api.ServletRoute;
import io.docbridge.host.services.HostServices;
import io.docbridge.api.SignInProvider;
import io.docbridge.host.signin.SignInCallback;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The plugins in {@code plugins/}, through PF4J. Each archive is loaded on its own, so that one that cannot be
 * read is recorded with its reason and the others still load; a plugin that fails to start is marked FAILED and
 * kept, with its exception, for Admin → Plugins. Nothing a plugin does at load or start takes the host down.
 * Contributed servlets are mounted when a plugin starts and removed when it stops.
 */
public final class PluginSystem implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginSystem.class);
    /** Ids the host uses for itself (its settings, secrets and tasks): a plugin under one would share them. */
    public static final java.util.Set<String> RESERVED_IDS = java.util.Set.of(HostServices.HOST_ID);

    private final Path pluginsDir;
    private final HostServices services;
    private final PluginManager manager;
    /** Archives that did not load, with their modification time: not tried again until they change. */
    private final ArchiveCheck.Refusals refusedArchives = new ArchiveCheck.Refusals();
    /** Archives that did not load, by file name, with the reason. */
    private final Map<String, String> loadFailures = new ConcurrentHashMap<>();
    /** Servlets of started plugins, by plugin id. */
    private final Map<String, List<ServletRoute>> routes = new ConcurrentHashMap<>();

    public PluginSystem(Path pluginsDir, HostServices services) {
        this.pluginsDir = pluginsDir.toAbsolutePath();
        this.services = services;
        this.manager = new DefaultPluginManager(this.pluginsDir);
        manager.addPluginStateListener(event -> {
            String id = event.getPlugin().getPluginId();
            if (event.getPluginState() == PluginState.STARTED) {
                mount(id);
            } else if (event.getOldState() == PluginState.STARTED) {
                unmount(id);
            }
        });
    }

    /** Loads and starts every plugin in the folder. */
    public void start() {
        rescan();
    }

    /**
     * Loads and starts the archives in the folder that are not loaded yet (a newly dropped jar appears without a
     * restart). Returns the ids of the plugins it started.
     */
    public synchronized List<String> rescan() {
        List<String> started = new ArrayList<>();
        for (Path candidate : candidates()) {
            String file = candidate.getFileName().toString();
            if (isLoaded(candidate)) {
                continue;
            }
            if (refusedArchives.stillRefused(candidate)) {
                continue; // a changed archive (another modification time) is tried again
            }
            try {
                ArchiveCheck.refuseUnsafe(candidate);
                String id = manager.loadPlugin(candidate);
                if (id == null) {
                    throw new IllegalStateException("PF4J could not read the plugin descriptor");
                }
                if (RESERVED_IDS.contains(id)) {
                    manager.unloadPlugin(id);
                    throw new IllegalStateException("The plugin id \"" + id + "\" is reserved: the host keeps its own "
                            + "settings and secrets under it. Give the plugin another id.");
                }
                loadFailures.remove(file);
                log.info("Loaded plugin {} from {}", id, file);
                start(id);
                started.add(id);
            } catch (Throwable e) {
                // Anything a plugin archive does while loading is contained: recorded with its reason, never thrown.
                loadFailures.put(file, describe(e));
                refusedArchives.add(candidate);
                ArchiveCheck.removeExpanded(candidate);
                log.warn("Cannot load plugin archive {}: {}", file, describe(e));
            }
        }
        return started;
    }

    /** Plugin archives and folders; a folder PF4J expanded from a zip stands for that zip and is skipped. */
    private List<Path> candidates() {
        if (!Files.isDirectory(pluginsDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(pluginsDir)) {
            List<Path> all = files.sorted().toList();
            return all.stream().filter(p -> {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    return false;
                }
                if (Files.isDirectory(p)) {
                    return !Files.exists(p.resolveSibling(name + ".zip"));
                }
                return name.endsWith(".zip") || name.endsWith(".jar");
            }).toList();
        } catch (IOException e) {
            log.warn("Cannot list the plugins folder {}: {}", pluginsDir, e.getMessage());
            return List.of();
        }
    }

    private boolean isLoaded(Path candidate) {
        String name = candidate.getFileName().toString();
        Path expanded = name.endsWith(".zip") ? candidate.resolveSibling(name.substring(0, name.length() - 4)) : candidate;
        return manager.getPlugins().stream().anyMatch(p -> p.getPluginPath().toAbsolutePath().equals(
                expanded.toAbsolutePath()) || p.getPluginPath().toAbsolutePath().equals(candidate.toAbsolutePath()));
    }

    /** Starts a loaded plugin; a failure leaves it FAILED with the reason, never thrown. */
    public synchronized PluginState start(String pluginId) {
        try {
            return manager.startPlugin(pluginId);
        } catch (Throwable e) {
            // Any Throwable, Errors too: a plugin's start must not take the host (or its main thread) down.
            log.warn("Plugin {} failed to start: {}", pluginId, describe(e));
            PluginWrapper plugin = manager.getPlugin(pluginId);
            if (plugin != null) {
                plugin.setPluginState(PluginState.FAILED);
                plugin.setFailedException(e instanceof Exception ex ? ex : new RuntimeException(e));
            }
            return PluginState.FAILED;
        }
    }

    public synchronized PluginState stop(String pluginId) {
        try {
            return manager.stopPlugin(pluginId);
        } catch (Throwable e) {
            log.warn("Plugin {} failed to stop: {}", pluginId, describe(e));
            return manager.getPlugin(pluginId).getPluginState();
        }
    }

    /** Every plugin, loaded or not, by id. */
    public List<PluginInfo> plugins() {
        List<PluginInfo> result = new ArrayList<>();
        for (PluginWrapper p : manager.getPlugins()) {
            Throwable failed = p.getFailedException();
            String failure = p.getPluginState() == PluginState.FAILED
                    ? (failed == null ? "Failed to start" : describe(failed)) : "";
            result.add(new PluginInfo(p.getPluginId(), p.getDescriptor().getVersion(),
                    Optional.ofNullable(p.getDescriptor().getPluginDescription()).orElse(""),
                    p.getPluginState().name(), failure, p.getPluginPath().getFileName().toString()));
        }
        loadFailures.forEach((file, reason) -> result.add(new PluginInfo(file, "", "", "LOAD_FAILED", reason, file)));
        result.sort(Comparator.comparing(PluginInfo::id));
        return result;
    }

    public Optional<PluginInfo> plugin(String id) {
        return plugins().stream().filter(p -> p.id().equals(id) && p.loaded()).findFirst();
    }

    /** The extensions of started plugins that implement the type. */
    public <T> List<T> extensions(Class<T> type) {
        return manager.getExtensions(type);
    }

    /** The ids of the started plugins, in no particular order. */
    public List<String> startedIds() {
        return manager.getStartedPlugins().stream().map(PluginWrapper::getPluginId).toList();
    }

    /** One started plugin's extensions that implement the type. */
    public <T> List<T> extensions(Class<T> type, String pluginId) {
        return manager.getExtensions(type, pluginId);
    }

    /** The id of the plugin an extension came from, or empty for the host's own. */
    public Optional<String> pluginOf(Object extension) {
        return Optional.ofNullable(manager.whichPlugin(extension.getClass())).map(PluginWrapper::getPluginId);
    }

    /** The class loader of a started plugin, where its templates are; empty if it is not started. */
    public Optional<ClassLoader> classLoader(String pluginId) {
        return Optional.ofNullable(manager.getPlugin(pluginId)).filter(p -> p.getPluginState() == PluginState.STARTED)
                .map(PluginWrapper::getPluginClassLoader);
    }

    /** Where the host answers a plugin's sign-ins, below the plugin's path. */
    public static final String CALLBACK = "callback";

    /** The servlets a started plugin contributes. */
    public List<ServletRoute> routes(String pluginId) {
        return routes.getOrDefault(pluginId, List.of());
    }

    private void mount(String pluginId) {
        List<ServletRoute> mounted = new ArrayList<>();
        try {
            for (PluginServlets contribution : manager.getExtensions(PluginServlets.class, pluginId)) {
                mounted.addAll(contribution.routes(services.forPlugin(pluginId)));
            }
            // The host serves the callback of a plugin's sign-ins itself.
            for (SignInProvider provider : manager.getExtensions(SignInProvider.class, pluginId)) {
                mounted.add(new ServletRoute("/" + CALLBACK, new SignInCallback(provider,
                        services.signIns(pluginId), services.forPlugin(pluginId)), ServletRoute.Access.PUBLIC));
            }
        } catch (Throwable e) {
            log.warn("Plugin {} contributed no servlets: {}", pluginId, describe(e));
        }
        routes.put(pluginId, List.copyOf(mounted));
    }

    private void unmount(String pluginId) {
        List<ServletRoute> old = routes.remove(pluginId);
        if (old != null) {
            for (ServletRoute route : old) {
                try {
                    route.servlet().destroy();
                } catch (RuntimeException e) {
                    log.warn("A servlet of plugin {} failed to stop: {}", pluginId, e.toString());
                }
            }
        }
    }

    /** A reason a person can read: the exception's message and its root cause, no stack. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()));
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            text.append(" (caused by ").append(root.getClass().getSimpleName()).append(": ")
                    .append(root.getMessage()).append(')');
        }
        return text.toString();
    }

    @Override
    public synchronized void close() {
        // One by one, newest first: PF4J's stopPlugins() trips over its own list when state listeners run.
        List<PluginWrapper> started = new ArrayList<>(manager.getStartedPlugins());
        java.util.Collections.reverse(started);
        for (PluginWrapper plugin : started) {
            stop(plugin.getPluginId());
        }
        for (PluginWrapper plugin : List.copyOf(manager.getPlugins())) {
            try {
                manager.unloadPlugin(plugin.getPluginId());
            } catch (RuntimeException e) {
                log.warn("Plugin {} did not unload cleanly: {}", plugin.getPluginId(), describe(e));
            }
        }
    }
}
