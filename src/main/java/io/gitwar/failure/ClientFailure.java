package io.gitwar.failure;

/**
 * The client's side of the connection failed while gitwar read its request (it went away, or sent
 * a broken chunked body). Answered 400 if it still listens; logged without a stack trace.
 */
public final class ClientFailure extends GitwarException {

    private static final long serialVersionUID = 1L;

    public ClientFailure(String message) {
        super(message);
    }
}
