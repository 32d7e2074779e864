package io.gitwar.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitwar.failure.GitwarException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one table from a named failure to the HTTP status a client gets. */
class ErrorResponsesTest {

    @ParameterizedTest
    @CsvSource({
        "InvalidRepositoryName, 400",
        "BadRequest,            400",
        "ClientFailure,         400",
        "RepositoryNotFound,    404",
        "Conflict,              409",
        "Unprocessable,         422",
        "ServiceDisabled,       403",
        "RequestTimeout,        408",
        "LimitExceeded,         413",
        "UnsupportedMediaType,  415",
        "RepositoryBusy,        503",
        "TooManyRequests,       429",
        "RepositoryDamaged,     500",
        "InsufficientStorage,   507",
    })
    void eachFailureHasItsStatus(String failure, int status) throws Exception {
        Class<?> type = Class.forName("io.gitwar.failure." + failure);
        GitwarException e = (GitwarException) type.getConstructor(String.class).newInstance("why");
        assertEquals(status, ErrorResponses.status(e));
    }

    @Test
    void theTableCoversTheWholeFamily() {
        Set<Class<?>> family = Arrays.stream(GitwarException.class.getPermittedSubclasses()).collect(Collectors.toSet());
        assertEquals(family, Set.copyOf(ErrorResponses.STATUS.keySet()));
    }
}
