/**
 * The repository file's tables and what they hold: the schema and its migrations, pack and ref rows,
 * files cut into chunk rows, {@link io.gitwar.storage.file.StoredPack}. The one place SQL is written;
 * SQLite's failures leave it as {@link io.gitwar.storage.file.StorageFailure}.
 */
package io.gitwar.storage.file;
