package io.gitwar.service.fetch;

import io.gitwar.config.FetchLimits;
import io.gitwar.config.GitwarConfig;
import io.gitwar.failure.BadRequest;
import io.gitwar.failure.LimitExceeded;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.failure.ServiceDisabled;
import io.gitwar.protocol.upload.UploadRequest;
import io.gitwar.service.HeapBudget;
import io.gitwar.service.Lease;
import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.file.StoredPack;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.logging.Logger;

/**
 * Serves fetches and clones (git-upload-pack, protocol v0, v1 and v2) from a request's read
 * snapshot: never waits for pushes, never sees half of one. Stateless: every call is one HTTP
 * request. Off when {@code gitwar.read-protocol=dumb}.
 *
 * <p>A request is read whole and checked ({@link UploadRequest}, within {@link FetchLimits}) before
 * the snapshot is opened: a request that is refused never reads the repository, and a client that
 * sends slowly holds no snapshot meanwhile.
 */
@ApplicationScoped
public class FetchService {

    private static final Logger LOG = Logger.getLogger(FetchService.class.getName());

    @Inject
    GitwarConfig config;

    @Inject
    HeapBudget budget;

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
     * Answers one upload-pack request whose (decoded) body is {@code in}. A request that is
     * malformed or over a limit is refused with an {@code ERR} line (git prints {@code remote error:
     * <reason>}) and one line in the log; it may be left unread after the point of refusal. Errors
     * of JGit's engine are answered in-band too; only failures before the exchange begins are thrown.
     *
     * @throws RepositoryNotFound if nothing was ever pushed to it
     * @throws ServiceDisabled if smart reads are off
     * @throws io.gitwar.failure.TooManyRequests if the heap it may need did not come free in time
     */
    public void upload(Lease lease, String gitProtocol, InputStream in, OutputStream out) throws IOException {
        requireEnabled();
        if (!lease.exists()) {
            throw new RepositoryNotFound("repository not found: " + lease.name());
        }
        List<String> protocol = UploadPackExchange.protocolParameters(gitProtocol);
        UploadRequest request;
        try {
            request = UploadRequest.read(in, UploadPackExchange.isV2(protocol), bounds());
        } catch (BadRequest | LimitExceeded refused) {
            LOG.info(() -> "fetch from " + lease.name() + " refused: " + refused.getMessage());
            UploadPackExchange.writeErr(refused.getMessage(), out);
            out.flush();
            return;
        }
        ReadSnapshot snapshot = lease.snapshot();
        long objects = snapshot.packs().stream().mapToLong(StoredPack::objectCount).sum();
        try (HeapBudget.Reservation heap = budget.reserve(HeapBudget.forFetch(objects), "a fetch from " + lease.name())) {
            new UploadPackExchange(snapshot.repository(), protocol).upload(request, out);
        }
    }

    private UploadRequest.Bounds bounds() {
        FetchLimits limits = config.fetchLimits();
        return new UploadRequest.Bounds(limits.maxRequestBytes(), limits.maxWants(), limits.maxHaves());
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
