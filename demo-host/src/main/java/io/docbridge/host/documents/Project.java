package io.docbridge.host.documents;

public record Project(long id, String code, String name, long documents) {
}
