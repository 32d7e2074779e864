package io.gitwar.service.hooks;

import io.gitwar.config.GitwarConfig;
import io.gitwar.storage.WriteTransaction;
import io.gitwar.storage.file.HookRows;
import io.gitwar.storage.file.OutboxRows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * Writes what a push owes its webhooks into the push's own write transaction: one delivery per
 * (ref updated, hook that wants pushes), with its payload and a new delivery id, so that the
 * deliveries commit with the refs or not at all ({@link Deliverer} makes them after the commit).
 * Costs one read of the repository's hooks when there are none. Thread-safe.
 */
@ApplicationScoped
public class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    /** The event of a push, in {@code X-Gitwar-Event} and in a hook's {@code events}. */
    public static final String PUSH = "push";

    /**
     * Refs of one push that get deliveries: a push of a whole mirror (thousands of refs) would
     * otherwise owe thousands per hook; GitHub sends no push events at all for pushes of more than
     * 5000 branches.
     */
    static final int MAX_REFS_PER_PUSH = 100;

    @Inject
    GitwarConfig config;

    @Inject
    GlobalHooks global;

    /**
     * Adds the deliveries of a push whose ref updates {@code updated} (all succeeded) were made in
     * {@code tx}.
     *
     * @param baseUrl the URL repositories are cloned from (the push's own, unless configured)
     * @param pusher who pushed: the client's address
     * @return whether any delivery is owed
     */
    public boolean owePush(WriteTransaction tx, String repository, String baseUrl, String pusher,
            List<ReceiveCommand> updated) throws IOException {
        List<HookRows.Hook> local = tx.hooks().list().stream().filter(h -> h.wants(PUSH)).toList();
        List<HookRows.Hook> all = global.list().stream().filter(h -> h.wants(PUSH)).toList();
        if (local.isEmpty() && all.isEmpty()) {
            return false;
        }
        Repository repo = tx.repository();
        Ref head = repo.exactRef(Constants.HEAD);
        String branch = head != null && head.isSymbolic() ? Repository.shortenRefName(head.getTarget().getName()) : null;
        String base = config.hooks().baseUrl().orElse(baseUrl);
        PushPayload.Repo about = new PushPayload.Repo(repository, base + repository + ".git", branch);
        List<ObjectId> before = refsBefore(repo, updated);
        Instant now = Instant.now();
        List<ReceiveCommand> told = updated.size() > MAX_REFS_PER_PUSH ? updated.subList(0, MAX_REFS_PER_PUSH) : updated;
        if (told.size() < updated.size()) {
            LOG.warning(() -> "push to " + repository + " updated " + updated.size() + " refs: deliveries for the first "
                    + MAX_REFS_PER_PUSH + " only");
        }
        for (ReceiveCommand c : told) {
            String payload = PushPayload.of(repo, about, c, before, pusher);
            for (HookRows.Hook h : local) {
                tx.outbox().add(UUID.randomUUID().toString(), OutboxRows.Scope.REPOSITORY, h.id(), PUSH, payload, now);
            }
            for (HookRows.Hook h : all) {
                tx.outbox().add(UUID.randomUUID().toString(), OutboxRows.Scope.GLOBAL, h.id(), PUSH, payload, now);
            }
        }
        int dropped = tx.outbox().trimTo(config.hooks().maxPendingPerRepository());
        if (dropped > 0) {
            LOG.warning(() -> repository + ": " + dropped + " undelivered webhook deliveries dropped, the oldest"
                    + " (gitwar.hooks.max-pending-per-repository: " + config.hooks().maxPendingPerRepository() + ")");
        }
        return true;
    }

    /** The ids of the repository's refs as they were before the push ({@code updated} undone). */
    private static List<ObjectId> refsBefore(Repository repo, List<ReceiveCommand> updated) throws IOException {
        Map<String, ObjectId> refs = new HashMap<>();
        for (Ref r : repo.getRefDatabase().getRefs()) {
            if (!r.isSymbolic() && r.getObjectId() != null) {
                refs.put(r.getName(), r.getObjectId());
            }
        }
        for (ReceiveCommand c : updated) {
            if (c.getOldId().equals(ObjectId.zeroId())) {
                refs.remove(c.getRefName());
            } else {
                refs.put(c.getRefName(), c.getOldId());
            }
        }
        return new ArrayList<>(refs.values());
    }
}
