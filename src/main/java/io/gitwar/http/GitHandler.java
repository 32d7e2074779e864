package io.gitwar.http;

import java.io.IOException;

/** Answers one kind of Git request. Throws named failures; {@link ErrorResponses} renders them. */
@FunctionalInterface
interface GitHandler {
    void handle(GitRequest request) throws IOException;
}
