package io.gitwar.http;

import io.gitwar.service.GitwarException;

/** The client stopped sending its request body for longer than the read timeout (answered 408). */
final class RequestTimeout extends GitwarException {

    private static final long serialVersionUID = 1L;

    RequestTimeout(String message) {
        super(message);
    }
}
