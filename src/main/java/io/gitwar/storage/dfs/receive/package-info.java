/**
 * Received packs parsed within bounds: JGit's DFS parser with the memory and work a pack may cost
 * ({@link io.gitwar.storage.dfs.receive.PackBounds}, {@link io.gitwar.storage.dfs.receive.BoundedPackParser}),
 * and, for larger packs, the same index made on several threads
 * ({@link io.gitwar.storage.dfs.receive.ParallelPackParser}). They write into a
 * {@link io.gitwar.storage.dfs.receive.PackDestination}, which the DFS storage implements.
 */
package io.gitwar.storage.dfs.receive;
