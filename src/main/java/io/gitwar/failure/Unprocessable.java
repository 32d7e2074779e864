package io.gitwar.failure;

/**
 * The request is well-formed but names something the repository does not have, or carries a file
 * that is not a sound repository (answered 422; nothing changed): a default branch that does not
 * exist, a backup that fails its checks.
 */
public final class Unprocessable extends GitwarException {

    private static final long serialVersionUID = 1L;

    public Unprocessable(String message) {
        super(message);
    }
}
