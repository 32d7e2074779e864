package io.gitwar.service.fetch;

import io.gitwar.config.GitwarConfig;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.failure.ServiceDisabled;
import io.gitwar.service.Lease;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Serves fetches and clones (git-upload-pack, protocol v0, v1 and v2) from a request's read
 * snapshot: never waits for pushes, never sees half of one. Stateless: every call is one HTTP
 * request. Off when {@code gitwar.read-protocol=dumb}.
 */
@ApplicationScoped
public class FetchService {

    @Inject
    GitwarConfig config;

    /** Whether smart fetches are served ({@code gitwar.read-protocol=smart}). */
    public boolean enabled() {
        return config.smartReads();
    }

    /**
     * Writes the upload-pack advertisement of the repository.
     *
     * @param gitProtocol the request's {@code Git-Protocol} header (null for v0)
     * @throws RepositoryNotFound if nothing was ever pushed to it
     * @throws ServiceDisabled if smart reads are off
     */
    public void advertise(Lease lease, String gitProtocol, OutputStream out) throws IOException {
        requireEnabled();
        new UploadPackExchange(lease.snapshot().repository(), UploadPackExchange.protocolParameters(gitProtocol))
                .advertise(out);
    }

    /**
     * Answers one upload-pack request whose (decoded) body is {@code in}. Protocol errors are
     * answered in-band; only failures before the exchange begins are thrown.
     *
     * @throws RepositoryNotFound if nothing was ever pushed to it
     * @throws ServiceDisabled if smart reads are off
     */
    public void upload(Lease lease, String gitProtocol, InputStream in, OutputStream out) throws IOException {
        requireEnabled();
        new UploadPackExchange(lease.snapshot().repository(), UploadPackExchange.protocolParameters(gitProtocol))
                .upload(in, out);
    }

    /**
     * @throws ServiceDisabled if smart reads are off
     */
    public void requireEnabled() {
        if (!enabled()) {
            throw new ServiceDisabled("smart fetch (git-upload-pack) is off on this server"
                    + " (gitwar.read-protocol=dumb): clone over the dumb protocol");
        }
    }
}
