package io.docbridge.host.plugins;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The live instances plugins' types made from saved settings (storage providers, external drives), by instance id.
 * One is made on first use and made again when its type is another class (its plugin was reloaded) or, where the
 * caller compares them, its settings changed (an Edit saved on any instance of a cluster); the instance replaced or
 * removed is always closed, so no connection or thread outlives its settings. Thread-safe.
 *
 * @param <T> what the types make
 */
public final class LiveInstances<T extends AutoCloseable> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveInstances.class);

    private record Live<T>(Class<?> typeClass, Map<String, String> settings, T instance) {
    }

    private final Map<String, Live<T>> live = new ConcurrentHashMap<>();

    /**
     * The instance for an id, made by {@code make} if there is none yet, or if the one there came from another
     * type class or (when {@code settings} is given) other settings.
     *
     * @param settings the saved settings to compare, or null where they cannot change (a drive's)
     * @param make     makes the instance; must not call a remote service (types promise that)
     */
    public T get(String id, Object type, Map<String, String> settings, Supplier<T> make) {
        return live.compute(id, (key, current) -> {
            if (current != null && current.typeClass() == type.getClass()
                    && (settings == null || Objects.equals(current.settings(), settings))) {
                return current;
            }
            if (current != null) {
                closeQuietly(id, current.instance());
            }
            return new Live<>(type.getClass(), settings == null ? null : Map.copyOf(settings), make.get());
        }).instance();
    }

    /** Keeps an instance made elsewhere (a drive made to check it while it was added), closing one it replaces. */
    public void put(String id, Object type, Map<String, String> settings, T instance) {
        Live<T> previous = live.put(id, new Live<>(type.getClass(), settings == null ? null : Map.copyOf(settings),
                instance));
        if (previous != null && previous.instance() != instance) {
            closeQuietly(id, previous.instance());
        }
    }

    /** Forgets and closes an instance (its settings were edited or removed). */
    public void remove(String id) {
        Live<T> gone = live.remove(id);
        if (gone != null) {
            closeQuietly(id, gone.instance());
        }
    }

    @Override
    public void close() {
        live.keySet().forEach(this::remove);
    }

    private static void closeQuietly(String id, AutoCloseable instance) {
        try {
            instance.close();
        } catch (Exception e) {
            log.warn("Closing the live instance of {} failed: {}", id, e.toString());
        }
    }
}
