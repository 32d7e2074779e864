package io.gitwar.http;

import io.gitwar.service.ActorRegistry;
import io.gitwar.service.RepositoryActor;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.RepositoryView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One Git request after routing: the resolved repository (its actor leased for the request), the
 * resource asked for, and a read view opened on first use. {@link GitFilter} closes it.
 */
final class GitExchange implements AutoCloseable {

    final HttpServletRequest request;
    final HttpServletResponse response;
    final RepositoryName repository;
    /** The path under the repository, e.g. {@code objects/pack/pack-<hex>.pack}. */
    final String resource;
    final RequestKind kind;
    private final ActorRegistry.Lease lease;
    private RepositoryView view;

    GitExchange(HttpServletRequest request, HttpServletResponse response, RepositoryName repository,
            String resource, RequestKind kind, ActorRegistry.Lease lease) {
        this.request = request;
        this.response = response;
        this.repository = repository;
        this.resource = resource;
        this.kind = kind;
        this.lease = lease;
    }

    RepositoryActor actor() {
        return lease.actor();
    }

    /** The request's read view of the repository (a snapshot taken at its first read). */
    RepositoryView view() {
        if (view == null) {
            view = lease.view();
        }
        return view;
    }

    @Override
    public void close() {
        try {
            if (view != null) {
                view.close();
            }
        } finally {
            lease.close();
        }
    }
}
