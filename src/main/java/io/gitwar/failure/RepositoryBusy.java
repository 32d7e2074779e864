package io.gitwar.failure;

/** Too many pushes are waiting for this repository. */
public final class RepositoryBusy extends GitwarException {

    private static final long serialVersionUID = 1L;

    public RepositoryBusy(String message) {
        super(message);
    }
}
