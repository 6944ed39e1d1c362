package io.docbridge.tck;

import io.docbridge.api.ErrorKind;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** The advice shown with an error is true for a person's own action too, where nothing retries by itself. */
class ErrorKindAdviceTest {
    @Test
    void noAdvicePromisesARetryThatAPersonsActionDoesNotGet() {
        for (ErrorKind kind : ErrorKind.values()) {
            String advice = kind.advice().toLowerCase(Locale.ROOT);
            assertFalse(advice.contains("will be retried") || advice.contains("retried later"), kind + ": " + advice);
        }
    }
}
