package io.gitwar.storage.file;

import java.io.IOException;

/**
 * The write transaction was ended from outside while its owner still worked on it (the transaction
 * manager's timeout): the owner's next read or write of pack data fails with this, so it stops early
 * and rolls back. Not a storage failure: the file is fine, and the message says why (a client may
 * read it).
 */
public final class WriteAbandoned extends IOException {

    private static final long serialVersionUID = 1L;

    public WriteAbandoned(String reason) {
        super(reason);
    }
}
