package io.gitwar.http;

import io.gitwar.service.GitwarException;

/**
 * The client's side of the connection failed while gitwar read its request (it went away, or sent
 * a broken chunked body). Answered 400 if it still listens; logged without a stack trace.
 */
final class ClientFailure extends GitwarException {

    private static final long serialVersionUID = 1L;

    ClientFailure(String message) {
        super(message);
    }
}
