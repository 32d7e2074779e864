package io.gitwar.http;

import io.gitwar.service.Lease;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One Git request after routing: the servlet request and response, the resource asked for, and the
 * lease on the repository, resolved once by {@link GitFilter} and closed by it.
 *
 * @param resource the path under the repository, e.g. {@code objects/pack/pack-<hex>.pack}
 */
record GitRequest(HttpServletRequest request, HttpServletResponse response, String resource, Lease lease) {
}
