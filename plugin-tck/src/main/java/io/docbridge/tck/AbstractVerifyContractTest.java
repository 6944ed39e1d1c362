package io.docbridge.tck;

import io.docbridge.api.Health;
import io.docbridge.api.StorageProvider;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** {@link StorageProvider#verify} and {@link StorageProvider#health}: a working provider says so, and never throws. */
public abstract class AbstractVerifyContractTest extends AbstractStorageContractTest {

    @Test
    void verifyOfAWorkingProviderIsVerified() {
        Health health = provider.verify();

        assertEquals(Health.Status.VERIFIED, health.status(), health.message());
        assertFalse(health.message().isBlank(), "a verified badge still says what was checked");
    }

    @Test
    void verifyCanRunAgainAndAgain() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Health.Status.VERIFIED, provider.verify().status());
        }
    }

    @Test
    void healthAnswersWithoutThrowing() {
        assertNotNull(provider.health());
    }
}
