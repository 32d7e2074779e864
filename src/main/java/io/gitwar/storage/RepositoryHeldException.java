package io.gitwar.storage;

import java.io.IOException;

/**
 * The repository's name is held ({@link NameHolds}): its file is being deleted, renamed or
 * replaced, or reads of a file it had a moment ago are still finishing. Nothing was opened or
 * written; the same request succeeds a little later.
 */
public final class RepositoryHeldException extends IOException {

    private static final long serialVersionUID = 1L;

    public RepositoryHeldException(String name) {
        super("repository " + name + " is being deleted, renamed or restored, or reads of its former file are"
                + " still finishing; try again");
    }
}
