package io.podhogs.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.podhogs.testing.MockApi;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The answers kept for tokens, on a clock the test drives, against fabric8's mock API server that
 * calls every token someone's and lets everyone read /metrics: kept for their TTL, at most
 * MAX_ENTRIES of them, the least recently used dropped and counted; and the helpers that decide
 * which requests need a token at all.
 */
class TokenReviewsTest {
    private static final long SECOND = 1_000_000_000L;
    private final MockApi api = MockApi.start();
    private long now = 5 * SECOND;
    private TokenReviews reviews;

    private TokenReviews reviews() {
        api.server().expect().post().withPath(MetricsAccessTest.TOKEN_REVIEWS).andReply(200, r -> new TokenReviewBuilder()
                .withNewStatus().withAuthenticated(true).withNewUser().withUsername("u").endUser().endStatus().build())
                .always();
        api.server().expect().post().withPath(MetricsAccessTest.ACCESS_REVIEWS).andReply(200, r ->
                new SubjectAccessReviewBuilder().withNewStatus().withAllowed(true).endStatus().build()).always();
        reviews = new TokenReviews(api.client(), Duration.ofSeconds(10), () -> now);
        return reviews;
    }

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void anAnswerIsKeptForItsTimeOnly() {
        TokenReviews r = reviews();
        assertEquals(Optional.empty(), r.cached("t"));
        assertEquals(TokenReviews.Outcome.ALLOWED, r.review("t").outcome());
        assertEquals(TokenReviews.Outcome.ALLOWED, r.cached("t").orElseThrow().outcome());
        now += 9 * SECOND;
        assertTrue(r.cached("t").isPresent());
        now += SECOND;
        assertEquals(Optional.empty(), r.cached("t"), "after its TTL, asked again");
        assertEquals(1, r.reviews());
    }

    @Test
    void atMostMaxEntriesTheLeastRecentlyUsedDroppedAndCounted() {
        TokenReviews r = reviews();
        for (int i = 0; i < TokenReviews.MAX_ENTRIES; i++) {
            r.review("t" + i);
        }
        assertEquals(TokenReviews.MAX_ENTRIES, r.size());
        assertTrue(r.cached("t0").isPresent()); // used: t1 is now the least recently used
        r.review("one-more");
        assertEquals(TokenReviews.MAX_ENTRIES, r.size(), "never more");
        assertEquals(1, r.evictions());
        assertFalse(r.cached("t1").isPresent(), "the least recently used went");
        assertTrue(r.cached("t0").isPresent() && r.cached("one-more").isPresent());
    }

    @Test
    void reviewsUnderWayAreBounded() {
        TokenReviews r = reviews();
        for (int i = 0; i < TokenReviews.MAX_IN_FLIGHT; i++) {
            assertTrue(r.tryStart());
        }
        assertFalse(r.tryStart(), "one more is refused (429)");
        r.finish();
        assertTrue(r.tryStart());
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1,true", "127.8.9.10,true", "::1,true", "0:0:0:0:0:0:0:1,true", "::ffff:127.0.0.1,true",
            "10.231.4.1,false", "::ffff:10.0.0.1,false", "fd42::1,false", "localhost,false", "'',false",
            "0.0.0.0,false"})
    void onlyTheLoopbackNetworkIsTrusted(String address, boolean trusted) {
        assertEquals(trusted, MetricsGuard.loopback(address), address);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Bearer abc|abc", "bearer abc|abc", "BEARER  abc |abc", "Basic YTpi|",
            "Bearer |", "Bearer|", "abc|", "|"})
    void theTokenOfAnAuthorizationHeader(String header, String token) {
        assertEquals(token, MetricsGuard.bearer(header));
    }

    @ParameterizedTest
    @CsvSource({"/q/health,true", "/q/health/live,true", "/q/health/ready,true", "/q/healthz,false", "/metrics,false",
            "/q/metrics,false", "/,false", "/q,false"})
    void healthAloneIsOpen(String path, boolean open) {
        assertEquals(open, MetricsGuard.open(path));
    }
}
