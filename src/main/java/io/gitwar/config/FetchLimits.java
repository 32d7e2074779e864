package io.gitwar.config;

/**
 * The bounds on one fetch request (a POST to {@code git-upload-pack}), which gitwar reads whole
 * before it reads the repository. A request over one is refused with {@code ERR <reason>}, which
 * git prints as {@code remote error: <reason>}; nothing is read from the repository.
 *
 * <p>The defaults follow the heap. Measured with JGit 7.8.1's UploadPack on an in-memory
 * repository (200 000 lines, heap retained at the negotiation hooks after full GCs), JGit holds
 * 74 bytes per {@code have} of an unknown object, 125 per {@code have} of a stored one and 99 per
 * {@code want}; so {@code heap / 8192} lines of each cost at most about a 64th of the heap.
 *
 * @param maxRequestBytes decoded bytes of one request ({@code gitwar.fetch.max-request-bytes})
 * @param maxWants {@code want} lines in one request ({@code gitwar.fetch.max-wants})
 * @param maxHaves {@code have} lines in one request; also the bound on its {@code shallow} lines,
 *        which are object ids of what the client has as well ({@code gitwar.fetch.max-haves})
 */
public record FetchLimits(long maxRequestBytes, int maxWants, int maxHaves) {

    /**
     * The least default of the line bounds: twice git's largest regular round of haves (fetch-pack's
     * LARGE_FLUSH, 16384; a stateless round also repeats the haves found in common).
     */
    static final int MIN_LINES = 32_768;

    /** A want or have pkt-line: {@code 0032want <40 hex>\n}. */
    static final int ID_LINE_BYTES = 50;

    /** Room for the other lines of a request: capabilities, shallows, deepen, filter, done. */
    static final long OTHER_LINES_BYTES = 1L << 20;

    static FetchLimits from(Settings s) {
        return from(s, Runtime.getRuntime().maxMemory());
    }

    static FetchLimits from(Settings s, long heapBytes) {
        // 128 bytes of JGit heap per line at most (see above): heap / 64 / 128
        int lines = (int) Math.max(MIN_LINES, Math.min(Integer.MAX_VALUE, heapBytes / 8192));
        int wants = s.get("gitwar.fetch.max-wants", Integer.class, lines);
        int haves = s.get("gitwar.fetch.max-haves", Integer.class, lines);
        // enough for as many wants and haves as allowed, and the other lines
        long bytes = s.get("gitwar.fetch.max-request-bytes", Long.class,
                ID_LINE_BYTES * ((long) wants + haves) + OTHER_LINES_BYTES);
        return new FetchLimits(bytes, wants, haves);
    }
}
