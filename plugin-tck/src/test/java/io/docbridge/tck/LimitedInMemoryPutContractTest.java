package io.docbridge.tck;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;
import io.docbridge.tck.StorageContract.Capability;

import java.io.InputStream;
import java.nio.file.Path;

/** The other side of each capability: a provider with a size limit that needs sizes up front. */
class LimitedInMemoryPutContractTest extends AbstractPutContractTest {
    static final long LIMIT = 4L * 1024 * 1024;

    static final class LimitedProvider extends InMemoryStorageProvider {
        @Override
        protected byte[] readExactly(InputStream content, long size) {
            if (size == UNKNOWN_SIZE) {
                throw new PluginException(ErrorKind.INVALID_INPUT, "The size must be known in advance");
            }
            if (size > LIMIT) {
                throw new PluginException(ErrorKind.TOO_LARGE, "Files over 4 MB are not accepted");
            }
            return super.readExactly(content, size);
        }
    }

    @Override
    protected StorageContract contract(Path scratch) {
        return StorageContract.of(new LimitedProvider()).without(Capability.UNKNOWN_SIZE).withSizeLimit(LIMIT);
    }
}
