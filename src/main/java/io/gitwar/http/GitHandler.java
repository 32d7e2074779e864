package io.gitwar.http;

import java.io.IOException;

/** Answers one kind of Git request. Throws named service exceptions; {@link ErrorResponses} renders them. */
@FunctionalInterface
interface GitHandler {
    void handle(GitExchange exchange) throws IOException;
}
