package io.gitwar.storage;

import java.io.IOException;

/**
 * A read found the repository's file at an older schema version. Reads never migrate a file: the
 * caller migrates it as a write, in the repository's write turn ({@link SqliteStore#migrate()}),
 * and reads again.
 */
public final class OutdatedSchemaException extends IOException {

    private static final long serialVersionUID = 1L;

    public OutdatedSchemaException(String repositoryName, int version) {
        super("repository " + repositoryName + " has schema version " + version + " and must be migrated first");
    }
}
