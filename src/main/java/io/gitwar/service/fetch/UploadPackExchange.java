package io.gitwar.service.fetch;

import io.gitwar.protocol.upload.RelativeDepth;
import io.gitwar.protocol.upload.UploadCapabilities;
import io.gitwar.protocol.upload.UploadRequest;
import io.gitwar.service.ClientMessages;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.eclipse.jgit.storage.pack.PackStatistics;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.PreUploadHook;
import org.eclipse.jgit.transport.RequestNotYetReadException;
import org.eclipse.jgit.transport.ServiceMayNotContinueException;
import org.eclipse.jgit.transport.SideBandOutputStream;
import org.eclipse.jgit.transport.TransferConfig;
import org.eclipse.jgit.transport.UploadPack;

/**
 * One stateless upload-pack exchange (an advertisement, or one request and its response) run by
 * JGit's engine over a read snapshot's repository. Single use, confined to the request's thread.
 *
 * <p>The engine is configured as gitwar serves every repository: partial clone
 * ({@code uploadpack.allowfilter}), {@code wait-for-done} in v2, the capabilities of
 * {@link UploadCapabilities}, and wants of any stored object by id
 * ({@code uploadpack.allowanysha1inwant}, advertised as {@code allow-tip-sha1-in-want} and
 * {@code allow-reachable-sha1-in-want}). Partial clones need that: their lazy fetches ask for old
 * blobs by id, and JGit's reachability check without bitmaps only finds blobs of the refs' own
 * trees ({@code git log -p} in a {@code --filter=blob:none} clone failed with "want ... not valid").
 * git's upload-pack serves any object in v2 as well; gitwar has no hidden refs, and no
 * authentication that such a check could protect.
 * Progress goes to side-band channel 2 unless the client sent {@code no-progress}.
 *
 * <p>Errors inside the protocol are written in-band, as JGit's own {@code upload()} does: an
 * {@code ERR} pkt-line before the pack, side-band channel 3 once it has begun; git shows them as
 * {@code remote error: ...}.
 *
 * <p>Two gaps of JGit's engine are filled, with the request read first ({@link UploadRequest}, by the caller):
 * {@code deepen-relative} ({@code git fetch --deepen}) becomes an absolute {@code deepen}
 * ({@link RelativeDepth}); and a v0 stateless request with {@code deepen-since}/{@code deepen-not}
 * and no {@code have}s, which JGit ends with an EOFException after writing the shallow list although
 * such a round ends exactly there (JGit already treats the same EOF as the end of the round for
 * {@code deepen <n>}), ends there without an error.
 */
final class UploadPackExchange {

    private static final Logger LOG = Logger.getLogger(UploadPackExchange.class.getName());

    private final Repository repository;
    private final UploadPack engine;
    private final boolean v2;
    private boolean packStarted;

    /**
     * @param repository the snapshot's repository (not closed here)
     * @param protocol the {@code Git-Protocol} request header's parameters, e.g. {@code version=2}
     */
    UploadPackExchange(Repository repository, List<String> protocol) {
        this.repository = repository;
        engine = new UploadPack(repository);
        engine.setBiDirectionalPipe(false); // HTTP: one request, one response
        engine.setTransferConfig(new TransferConfig(serverConfig()));
        engine.setPackConfig(packConfig(repository));
        engine.setExtraParameters(protocol);
        engine.setPreUploadHook(new PackStartWatch());
        v2 = isV2(protocol);
    }

    /** Whether the request speaks protocol v2: JGit's own test, see UploadPack.setExtraParameters. */
    static boolean isV2(List<String> protocol) {
        return protocol.contains("version=2");
    }

    private static Config serverConfig() {
        Config c = new Config();
        c.setBoolean("uploadpack", null, "allowfilter", true);
        c.setBoolean("uploadpack", null, "allowanysha1inwant", true); // see above
        c.setBoolean("uploadpack", null, "advertisewaitfordone", true);
        return c;
    }

    /**
     * Packs are sent as stored: deltas stored are reused, but no new ones are searched for. Objects
     * that pushes stored whole would otherwise be delta-searched again on every clone (JGit trusts
     * only garbage-collected packs to have tried): 5.9 s of server CPU per clone of a 40k-object
     * repository, against 0.25 s for git's http-backend. Finding deltas is the job of whoever
     * writes the packs (the pushing client, gitwar's repack), once, not of every reader.
     */
    private static PackConfig packConfig(Repository repository) {
        PackConfig pc = new PackConfig(repository);
        pc.setDeltaCompress(false);
        return pc;
    }

    /** Splits a {@code Git-Protocol} header ({@code version=2:other=x}); none is v0. */
    static List<String> protocolParameters(String header) {
        return header == null || header.isBlank() ? List.of() : List.of(header.trim().split(":"));
    }

    /** Writes the ref advertisement: v0 with its {@code # service} header, or the v2 capabilities. */
    void advertise(OutputStream out) throws IOException {
        try {
            engine.sendAdvertisedRefs(new UploadCapabilities(new PacketLineOut(out), v2), "git-upload-pack");
        } finally {
            engine.getRevWalk().close();
            engine.close();
        }
        out.flush();
    }

    /**
     * What an exchange sent: whether JGit began a pack, and its bytes as JGit counted them (0 if it
     * did not finish it).
     */
    record Sent(boolean pack, long packBytes) {
    }

    /** Answers one request, read and checked before (see {@link UploadRequest}), on {@code out}. */
    Sent upload(UploadRequest request, OutputStream out) throws IOException {
        try {
            InputStream forEngine = request.unchanged();
            if (request.deepenRelative()) {
                forEngine = request.withAbsoluteDepth(RelativeDepth.absolute(repository, request.wants(),
                        request.clientShallows(), request.depth()));
            }
            engine.uploadWithExceptionPropagation(forEngine, out, null);
        } catch (EOFException e) {
            if (!(endsDeepenRound(request))) {
                fail(e, out);
            }
        } catch (IOException | RuntimeException e) {
            fail(e, out);
        } finally {
            engine.close();
        }
        out.flush();
        PackStatistics stats = engine.getStatistics();
        return new Sent(packStarted, stats == null ? 0 : stats.getTotalBytes());
    }

    /** The JGit bug described above: EOF in the negotiation of a v0 deepen-since/deepen-not round. */
    private boolean endsDeepenRound(UploadRequest request) {
        return !v2 && request.deepenSinceOrNot() && requestParsed();
    }

    /** True once JGit read the wants: after that, only the negotiation reads the request. */
    private boolean requestParsed() {
        try {
            engine.isSideBand();
            return true;
        } catch (RequestNotYetReadException e) {
            return false;
        }
    }

    private void fail(Exception e, OutputStream out) throws IOException {
        if (e instanceof ServiceMayNotContinueException s && s.isOutput()) {
            return; // JGit already told the client
        }
        boolean clientError = ClientMessages.isFetchProtocolError(e);
        String message = ClientMessages.forFetch(e);
        LOG.log(clientError ? Level.FINE : Level.WARNING, "upload-pack failed: " + e, clientError ? null : e);
        if (packStarted && sideBand()) {
            SideBandOutputStream err = new SideBandOutputStream(SideBandOutputStream.CH_ERROR,
                    SideBandOutputStream.SMALL_BUF, out);
            err.write(message.getBytes(StandardCharsets.UTF_8));
            err.flush();
        } else {
            writeErr(message, out);
        }
    }

    /**
     * An error before any answer: an {@code ERR} pkt-line, which git prints as {@code remote error:
     * <message>} in protocol v0 and v2 alike.
     */
    static void writeErr(String message, OutputStream out) throws IOException {
        new PacketLineOut(out).writeString("ERR " + message + "\n");
    }

    private boolean sideBand() {
        try {
            return engine.isSideBand();
        } catch (RequestNotYetReadException e) {
            return false;
        }
    }

    /** Notes when JGit starts the pack (and with it, side-band error reporting). */
    private final class PackStartWatch implements PreUploadHook {
        @Override
        public void onBeginNegotiateRound(UploadPack up, Collection<? extends ObjectId> wants, int cntOffered) {
            // nothing to check
        }

        @Override
        public void onEndNegotiateRound(UploadPack up, Collection<? extends ObjectId> wants, int cntCommon,
                int cntNotFound, boolean ready) {
            // nothing to check
        }

        @Override
        public void onSendPack(UploadPack up, Collection<? extends ObjectId> wants,
                Collection<? extends ObjectId> haves) {
            packStarted = true;
        }
    }
}
