/**
 * Configuration: every setting of gitwar as immutable records read once from MicroProfile Config,
 * each key with its default and where the number comes from, and gitwar's version. Renamed keys
 * keep working. Imports no other gitwar package.
 */
package io.gitwar.config;
