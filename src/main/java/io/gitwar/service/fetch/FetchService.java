package io.gitwar.service.fetch;

import io.gitwar.config.FetchLimits;
import io.gitwar.config.GitwarConfig;
import io.gitwar.failure.BadRequest;
import io.gitwar.failure.LimitExceeded;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.failure.ServiceDisabled;
import io.gitwar.failure.TooManyRequests;
import io.gitwar.protocol.upload.UploadRequest;
import io.gitwar.service.FetchSlots;
import io.gitwar.service.HeapBudget;
import io.gitwar.service.Lease;
import io.gitwar.service.event.FetchCompleted;
import io.gitwar.service.event.FetchRefused;
import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.file.StoredPack;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * Serves fetches and clones (git-upload-pack, protocol v0, v1 and v2) from a request's read
 * snapshot: never waits for pushes, never sees half of one. Stateless: every call is one HTTP
 * request. Off when {@code gitwar.read-protocol=dumb}.
 *
 * <p>A request is read whole and checked ({@link UploadRequest}, within {@link FetchLimits}) before
 * the snapshot is opened: a request that is refused never reads the repository, and a client that
 * sends slowly holds no snapshot meanwhile. A request that may be answered with a pack (one with
 * wants) then takes its place among the fetches in progress ({@link FetchSlots}: refused with 429
 * when its repository or the server has its share) and reserves its heap ({@link HeapBudget}).
 * Fetches served and refused are told as {@link FetchCompleted} and {@link FetchRefused}.
 */
@ApplicationScoped
public class FetchService {

    private static final Logger LOG = Logger.getLogger(FetchService.class.getName());

    @Inject
    GitwarConfig config;

    @Inject
    HeapBudget budget;

    @Inject
    FetchSlots slots;

    @Inject
    Event<FetchCompleted> served;

    @Inject
    Event<FetchRefused> refusals;

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
     * @throws TooManyRequests if its repository or the server serves as many fetches as allowed now:
     *         git shows this answer's message, not that of a refused POST ({@link FetchSlots#wouldRefuse})
     */
    public void advertise(Lease lease, String gitProtocol, OutputStream out) throws IOException {
        requireEnabled();
        FetchSlots.Cap full = slots.wouldRefuse(lease.name());
        if (full != null) {
            refuse(lease, full, slots.reason(full, lease.name()));
        }
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
     * @throws TooManyRequests if its repository or the server serves as many fetches as allowed, or
     *         the heap it may need did not come free in time
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
        if (request.wants().isEmpty()) {
            exchange(lease, protocol, request, out); // v2's ls-refs, or nothing wanted: no pack comes of it
            return;
        }
        try (FetchSlots.Slot slot = slots.enter(lease.name())) {
            if (!slot.admitted()) {
                refuse(lease, slot.refusedBy(), slot.reason());
            }
            long admitted = System.nanoTime();
            UploadPackExchange.Sent sent = exchange(lease, protocol, request, out);
            if (sent.pack()) {
                served.fire(new FetchCompleted(lease.name(), UploadPackExchange.isV2(protocol)
                        ? FetchCompleted.Protocol.V2 : FetchCompleted.Protocol.V0, sent.packBytes(),
                        Duration.ofNanos(System.nanoTime() - admitted)));
            }
        }
    }

    /** Tells the refusal and throws it (429 with Retry-After). */
    private void refuse(Lease lease, FetchSlots.Cap cap, String reason) {
        refusals.fire(new FetchRefused(lease.name(), cap == FetchSlots.Cap.REPOSITORY
                ? FetchRefused.Reason.REPOSITORY_CAP : FetchRefused.Reason.SERVER_CAP));
        throw new TooManyRequests(reason);
    }

    /** JGit's engine on the request's snapshot, with the heap it may need reserved. */
    private UploadPackExchange.Sent exchange(Lease lease, List<String> protocol, UploadRequest request,
            OutputStream out) throws IOException {
        ReadSnapshot snapshot = lease.snapshot();
        long objects = snapshot.packs().stream().mapToLong(StoredPack::objectCount).sum();
        HeapBudget.Reservation heap;
        try {
            heap = budget.reserve(HeapBudget.forFetch(objects), "a fetch from " + lease.name());
        } catch (TooManyRequests e) {
            refusals.fire(new FetchRefused(lease.name(), FetchRefused.Reason.HEAP));
            throw e;
        }
        try (heap) {
            return new UploadPackExchange(snapshot.repository(), protocol).upload(request, out);
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
