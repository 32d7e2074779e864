/**
 * Metrics: Micrometer's Prometheus registry, bundled in the WAR so that every server answers alike,
 * fed by the service's events and by gauges read at each scrape, plus the JVM's own meters. Labels
 * never carry repository names. Never imports {@code jakarta.servlet}.
 */
package io.gitwar.metrics;
