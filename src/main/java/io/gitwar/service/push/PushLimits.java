package io.gitwar.service.push;

import io.gitwar.config.Limits;
import io.gitwar.failure.BadRequest;
import io.gitwar.failure.LimitExceeded;
import io.gitwar.protocol.receive.PushRequest;
import java.io.IOException;

/**
 * The configured bounds on a push, checked before the repository is locked or a byte of the pack is
 * parsed: ref updates, pack bytes, declared objects (and whether that many could fit at all).
 */
final class PushLimits {

    private PushLimits() {
    }

    /**
     * @param bodyLength the request body's length; -1 if it was longer than the body limit
     * @throws LimitExceeded or {@link BadRequest} with the reason to report
     */
    static void check(PushRequest request, long bodyLength, Limits limits) throws IOException {
        if (request.commands().size() > limits.maxRefUpdates()) {
            throw new LimitExceeded("push updates " + request.commands().size() + " refs, more than the limit of "
                    + limits.maxRefUpdates());
        }
        if (!request.needsPack()) {
            return;
        }
        if (bodyLength < 0) {
            throw new LimitExceeded("pack exceeds the limit of " + limits.maxPackBytes() + " bytes");
        }
        long packBytes = bodyLength - request.commandBytes();
        if (limits.maxPackBytes() >= 0 && packBytes > limits.maxPackBytes()) {
            throw new LimitExceeded("pack of " + packBytes + " bytes exceeds the limit of "
                    + limits.maxPackBytes() + " bytes");
        }
        long objects = request.declaredObjectCount();
        if (objects > limits.maxObjects()) {
            throw new LimitExceeded("pack declares " + objects + " objects, more than the limit of "
                    + limits.maxObjects() + " (each takes about " + Limits.HEAP_PER_OBJECT
                    + " bytes of the server's memory while it is received)");
        }
        if (objects >= 0 && !PushRequest.plausibleObjectCount(objects, packBytes)) {
            throw new BadRequest("pack declares " + objects + " objects but has only " + packBytes + " bytes");
        }
    }

    /** The largest request body a push may have: its pack plus the command list (-1: unlimited). */
    static long maxBodyBytes(Limits limits) {
        return limits.maxPackBytes() < 0 ? -1 : limits.maxPackBytes() + PushRequest.MAX_COMMAND_BYTES;
    }
}
