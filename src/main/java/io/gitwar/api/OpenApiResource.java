package io.gitwar.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code GET /-/api/v1/openapi.json}: the API's OpenAPI 3.0 document, written beside the resources
 * ({@code io/gitwar/api/openapi.json}) and checked against them by a test, served behind the same
 * token as the API. A file of the WAR rather than the container's MicroProfile OpenAPI: the same
 * URL and bytes on every server, no Galleon layer (see the README), and the API's errors, token
 * and JSON names described as they are.
 */
@Path("openapi.json")
@ApplicationScoped
public class OpenApiResource {

    static final String DOCUMENT = "/io/gitwar/api/openapi.json";

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public StreamingOutput document() {
        return out -> {
            try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
                if (in == null) {
                    throw new IOException(DOCUMENT + " is missing from the WAR");
                }
                in.transferTo(out);
            }
        };
    }
}
