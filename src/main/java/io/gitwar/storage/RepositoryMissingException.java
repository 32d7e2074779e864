package io.gitwar.storage;

import java.io.FileNotFoundException;

/** A read was asked of a repository whose file does not exist. */
public final class RepositoryMissingException extends FileNotFoundException {

    private static final long serialVersionUID = 1L;

    public RepositoryMissingException(String repositoryName) {
        super("repository not found: " + repositoryName);
    }
}
