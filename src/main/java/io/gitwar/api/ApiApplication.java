package io.gitwar.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The repository API's root, {@code /git/-/api/v1/}: under gitwar's reserved prefix, which the Git
 * filter passes on. Its resources and providers are found by the container's scanning of this WAR.
 */
@ApplicationPath("/-/api/v1")
public class ApiApplication extends Application {
}
