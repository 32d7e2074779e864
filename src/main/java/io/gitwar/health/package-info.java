/**
 * Health: gitwar's MicroProfile Health checks, which the server's own health endpoint serves
 * (WildFly: {@code /health/live|ready} on the management port; Payara: {@code /health}) and
 * gitwar's {@code /git/-/health/live|ready} evaluate alike. Never imports {@code jakarta.servlet}.
 */
package io.gitwar.health;
