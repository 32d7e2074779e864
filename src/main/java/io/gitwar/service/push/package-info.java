/**
 * Pushes: the request checked against the limits, JGit's receive-pack run in one repository write,
 * and the rule the project is about: git reads "ok" only after the commit ({@link
 * io.gitwar.service.push.OutputGate}).
 */
package io.gitwar.service.push;
