package io.podhogs.engine;

import io.podhogs.testing.TestNet;
import org.junit.jupiter.api.AfterEach;

/**
 * What every traffic test of the engine holds: the test's links and namespaces, and the engine
 * capturing them, both gone after each test (the engine first, so that it never sees its links
 * vanish from under an open capture).
 */
abstract class EngineTrafficFixture {
    protected final TestNet net = new TestNet();
    protected EngineHarness harness;

    @AfterEach
    void closeEngineThenNet() {
        if (harness != null) {
            harness.close();
        }
        net.close();
    }
}
