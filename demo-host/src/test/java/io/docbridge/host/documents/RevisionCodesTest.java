package io.docbridge.host.documents;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RevisionCodesTest {
    @ParameterizedTest
    @CsvSource({"A,B", "Y,Z", "Z,AA", "AZ,BA", "P01,P02", "C09,C10", "P99,P100", "1,2", "9,10", "c01,C02",
            "rev-3,REV-4", "A.1,A.2", "X-,X-1"})
    void theNextCodeKeepsThePrefixAndTheWidth(String last, String next) {
        assertEquals(next, RevisionCodes.next(last));
    }
}
