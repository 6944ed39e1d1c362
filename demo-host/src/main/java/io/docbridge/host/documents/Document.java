package io.docbridge.host.documents;

import java.time.Instant;

/** A controlled document; its files are its revisions. */
public record Document(long id, long projectId, String projectCode, String number, String title, String type,
                       String status, String latestRevision, String createdBy, Instant createdAt) {

    public static final java.util.List<String> TYPES =
            java.util.List.of("Drawing", "Specification", "Report", "Calculation", "Correspondence", "Other");
    public static final java.util.List<String> STATUSES =
            java.util.List.of("Draft", "For Review", "Approved", "Superseded");
}
