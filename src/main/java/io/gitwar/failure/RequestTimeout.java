package io.gitwar.failure;

/** The client stopped sending its request body for longer than the read timeout (answered 408). */
public final class RequestTimeout extends GitwarException {

    private static final long serialVersionUID = 1L;

    public RequestTimeout(String message) {
        super(message);
    }
}
