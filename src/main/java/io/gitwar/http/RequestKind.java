package io.gitwar.http;

/** What a request is, decided once by {@link GitFilter} from its route, method and query. */
public enum RequestKind {
    /** A file of the dumb protocol: HEAD, info/refs, objects/... */
    DUMB_READ,
    /** {@code info/refs?service=git-*-pack}: the smart ref advertisement. */
    SMART_ADVERTISEMENT,
    /** {@code POST git-*-pack}: a smart protocol exchange. */
    SMART_RPC,
    /** An {@code OPTIONS} request a browser sends before a cross-origin one. */
    CORS_PREFLIGHT,
    /** Anything else: answered 404 or 405. */
    UNKNOWN
}
