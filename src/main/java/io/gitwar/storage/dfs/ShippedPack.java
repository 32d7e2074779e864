package io.gitwar.storage.dfs;

import java.io.InputStream;

/**
 * One pack a push stored, as a primary sends it to its replicas: its files' bytes, as stored, and
 * how many objects it holds (see {@code io.gitwar.storage.PushReplay}).
 */
public record ShippedPack(InputStream pack, InputStream index, long objectCount) {
}
