package io.gitwar.service;

import io.gitwar.failure.GitwarException;
import io.gitwar.storage.file.StorageFailure;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.transport.ServiceMayNotContinueException;

/**
 * What a client may read of a failure inside a Git exchange, the one rule for both directions: a
 * reason about the client's own request (gitwar's named failures, JGit's protocol and pack errors)
 * as it is; a fault of the server (storage, a bug) only as {@value #INTERNAL}, because its message
 * may name files on the server. The HTTP status of a failure is decided by the HTTP layer.
 */
public final class ClientMessages {

    /** JGit's own words for a server fault, and what git prints after {@code remote error:}. */
    public static final String INTERNAL = "internal server error";

    private ClientMessages() {
    }

    /**
     * Whether a failure is the server's: errors, bugs (unexpected runtime exceptions) and storage
     * failures. Everything else that JGit's engines throw describes the request.
     */
    public static boolean isServerFault(Throwable t) {
        if (t instanceof GitwarException || t instanceof LargeObjectException) {
            return false;
        }
        return t instanceof Error || t instanceof RuntimeException || t instanceof CommitFailed
                || StorageFailure.isCause(t);
    }

    /**
     * The reason of a push's {@code unpack} line: the client sent a pack that JGit refused (corrupt,
     * incomplete, a failed object or connectivity check, a limit), or the server failed.
     */
    public static String forPush(Throwable t) {
        return isServerFault(t) ? INTERNAL + ", nothing was stored" : t.getMessage();
    }

    /**
     * The text of a fetch's {@code ERR} line or side-band error: only protocol errors are the
     * client's; an I/O failure while reading the repository is the server's.
     */
    public static String forFetch(Throwable t) {
        return isFetchProtocolError(t) || t instanceof ServiceMayNotContinueException ? t.getMessage() : INTERNAL;
    }

    /** A fetch request JGit's engine refused: the client's mistake, not worth a stack trace in the log. */
    public static boolean isFetchProtocolError(Throwable t) {
        return t instanceof PackProtocolException;
    }
}
