/**
 * Repacking: after a push, the policy decides whether a repository has too many packs, and a
 * background repack (JGit's DFS garbage collector) rewrites it into one pack with a bitmap, as a
 * repository write like a push; replaced packs are deleted after their grace period.
 */
package io.gitwar.service.repack;
