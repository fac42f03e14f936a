package io.podhogs.agent;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The agent's management interface in a test (its port is chosen at start): /metrics and health, as
 * Prometheus and the kubelet reach them. The tests ask from 127.0.0.1, where /metrics needs no token.
 */
final class Management {
    private Management() {
    }

    static String url(String path) {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return "http://localhost:" + port + path;
    }
}
