package io.gitwar.failure;

/**
 * The client's side of the connection failed while gitwar read its request (it went away, sent a
 * broken chunked body, or a body that does not decode as its Content-Encoding says). Answered 400 if
 * it still listens; logged without a stack trace.
 */
public final class ClientFailure extends GitwarException {

    private static final long serialVersionUID = 1L;

    public ClientFailure(String message) {
        super(message);
    }
}
