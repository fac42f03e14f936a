package io.podhogs.engine;

import java.time.Duration;

/**
 * Whether an engine still counts, for those who show or serve what it publishes: the agent's
 * liveness and the command line, which must not go on showing numbers that no longer change.
 * The engine publishes a snapshot every tick (100 ms); one whose thread ended, or that published
 * nothing for longer than the stall limit, counts no more.
 */
public final class EngineWatch {
    /** The least stall limit: far above a tick, above the pauses a busy JVM makes. */
    public static final Duration MIN_STALL = Duration.ofSeconds(10);

    private final Engine engine;
    private final long stallNanos;

    /** @param stall how long the engine may publish nothing (at least {@link #MIN_STALL}) */
    public EngineWatch(Engine engine, Duration stall) {
        this.engine = engine;
        this.stallNanos = Math.max(MIN_STALL.toNanos(), stall.toNanos());
    }

    /** Why the engine counts no more, in words for a user; empty while it counts. */
    public String trouble(long nowNanos) {
        if (!engine.alive()) {
            Throwable failure = engine.failure();
            return failure == null ? "the engine thread stopped" : "the engine thread stopped: " + failure;
        }
        long silent = nowNanos - engine.publishedNanos();
        if (silent > stallNanos) {
            return "the engine has published nothing for " + silent / 1_000_000_000L + " s";
        }
        return "";
    }
}
