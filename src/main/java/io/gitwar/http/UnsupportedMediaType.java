package io.gitwar.http;

import io.gitwar.service.GitwarException;

/** A request body of a type or encoding gitwar does not take (answered 415). */
final class UnsupportedMediaType extends GitwarException {

    private static final long serialVersionUID = 1L;

    UnsupportedMediaType(String message) {
        super(message);
    }
}
