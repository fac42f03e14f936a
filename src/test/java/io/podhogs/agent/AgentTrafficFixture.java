package io.podhogs.agent;

import io.podhogs.testing.TestNet;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;

/**
 * What an agent test that makes traffic holds: the agent Quarkus injected and the test's links and
 * namespaces, both gone after each test (the agent first, so that it never sees its links vanish
 * from under an open capture), as {@code io.podhogs.engine.EngineTrafficFixture} does for the engine.
 */
abstract class AgentTrafficFixture {
    @Inject
    Agent agent;

    protected final TestNet net = new TestNet();

    @AfterEach
    void closeAgentThenNet() {
        agent.close();
        net.close();
    }
}
