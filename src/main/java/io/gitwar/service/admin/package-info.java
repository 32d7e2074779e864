/**
 * Operating repositories as a whole: listing, creating, describing and configuring them, and the
 * operations on their files (delete, rename, fork, backup, restore), coordinated with pushes and
 * reads through the repositories' actors; repack and fsck on demand. What gitwar's API calls.
 */
package io.gitwar.service.admin;
