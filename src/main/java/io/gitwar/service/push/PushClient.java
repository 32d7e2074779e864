package io.gitwar.service.push;

/**
 * Who sent a push, as far as gitwar knows without authentication.
 *
 * @param address the client's address as the container saw it (its {@code X-Forwarded-For}
 *        handling applies)
 * @param baseUrl the URL the push was sent to, up to gitwar's root ({@code http://host:8080/git/}):
 *        where payloads say the repository is cloned from, unless {@code gitwar.hooks.base-url} says
 */
public record PushClient(String address, String baseUrl) {
}
