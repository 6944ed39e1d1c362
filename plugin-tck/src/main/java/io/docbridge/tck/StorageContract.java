package io.docbridge.tck;

import io.docbridge.api.StorageProvider;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Describes a storage provider under test: the instance and what it declares it can do.
 */
public final class StorageContract {

    /** Things a provider may or may not do; each is tested on both sides. */
    public enum Capability {
        /** Accepts {@link StorageProvider#UNKNOWN_SIZE}; without it, such a put fails with INVALID_INPUT. */
        UNKNOWN_SIZE,
        /**
         * Keeps names that differ only in case apart ("Plan A.pdf", "plan a.pdf"); without it (SharePoint, Windows,
         * macOS) the second is a CONFLICT.
         */
        CASE_SENSITIVE_NAMES,
        /**
         * Finds the key of what is stored at a path ({@link StorageProvider#keyAt}), so the host can remove a file
         * it stored but never recorded after a crash; without it, keyAt is always empty.
         */
        KEY_AT_PATH
    }

    private final StorageProvider provider;
    private final Set<Capability> capabilities;
    private final long sizeLimit;

    private StorageContract(StorageProvider provider, Set<Capability> capabilities, long sizeLimit) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.capabilities = capabilities;
        this.sizeLimit = sizeLimit;
    }

    /** A provider with every capability and no size limit. */
    public static StorageContract of(StorageProvider provider) {
        return new StorageContract(provider, EnumSet.allOf(Capability.class), -1);
    }

    public StorageContract without(Capability capability) {
        Set<Capability> fewer = EnumSet.copyOf(capabilities);
        fewer.remove(capability);
        return new StorageContract(provider, fewer, sizeLimit);
    }

    /** Declares that files over {@code bytes} are refused with TOO_LARGE. Keep it small: the suite writes past it. */
    public StorageContract withSizeLimit(long bytes) {
        return new StorageContract(provider, capabilities, bytes);
    }

    public StorageProvider provider() {
        return provider;
    }

    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    /** The declared size limit, or -1 for none. */
    public long sizeLimit() {
        return sizeLimit;
    }
}
