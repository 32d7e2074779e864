package io.gitwar.failure;

/**
 * The server is at a bound of how much it serves at once (a client's share of the workers, or the
 * heap's share of the expensive requests) and the request could not wait its turn: try again later.
 */
public final class TooManyRequests extends GitwarException {

    private static final long serialVersionUID = 1L;

    public TooManyRequests(String message) {
        super(message);
    }
}
