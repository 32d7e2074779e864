/**
 * gitwar's repository API: JSON over Jakarta REST under {@code /-/api/v1/}, for operators (list,
 * create, describe, change, delete, back up, restore, fork, repack, fsck), behind a bearer token.
 * Resources translate HTTP to the service layer's admin operations and back; failures are the
 * named ones of {@code io.gitwar.failure}, rendered as JSON with the status of the one table.
 */
package io.gitwar.api;
