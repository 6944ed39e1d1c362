package io.docbridge.host.services;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * What the stores a plugin is given throw: only {@link PluginException}, as every failure that crosses the plugin
 * boundary must. A database that is down, or a secret that no longer decrypts (the secret key changed), becomes
 * {@link ErrorKind#UNAVAILABLE} with words a page can show; the cause, with its SQL, goes to the log only.
 */
final class StoreFailures {
    private static final Logger log = LoggerFactory.getLogger(StoreFailures.class);

    private StoreFailures() {
    }

    static <T> T guard(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (PluginException e) {
            throw e;
        } catch (RuntimeException e) {
            String reference = Long.toString(System.nanoTime() & 0xffffff, 36);
            log.error("The host failed {} (reference {})", what, reference, e);
            throw new PluginException(ErrorKind.UNAVAILABLE, "The host could not finish " + what + " (reference "
                    + reference + "); its administrator finds the cause in the log.", e);
        }
    }

    static void guard(String what, Runnable action) {
        guard(what, () -> {
            action.run();
            return null;
        });
    }
}
