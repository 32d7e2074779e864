package io.gitwar.failure;

/** A request body of a type or encoding gitwar does not take (answered 415). */
public final class UnsupportedMediaType extends GitwarException {

    private static final long serialVersionUID = 1L;

    public UnsupportedMediaType(String message) {
        super(message);
    }
}
