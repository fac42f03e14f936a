package io.podhogs.testing;

import io.podhogs.engine.Engine;
import io.podhogs.identity.ClusterView;
import io.podhogs.identity.RemoteClassifier;
import io.podhogs.identity.PodDirectory;
import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;

/**
 * Makes a running engine stall or die from outside, through what it reads from outside on its own
 * thread every tick: the cluster view ({@link Engine#cluster}), here one whose classifier blocks
 * until released, or throws an Error (which the engine's cycle does not catch, as it would not an
 * OutOfMemoryError or a StackOverflowError). The engine has no fault hook of its own on purpose.
 */
public final class EngineFaults {
    private EngineFaults() {
    }

    /** The engine an agent (or anything with an {@code engine} field) runs. */
    public static Engine engineOf(Object holder) {
        try {
            Field f = holder.getClass().getDeclaredField("engine");
            f.setAccessible(true);
            return (Engine) f.get(holder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no engine field in " + holder.getClass() + ": update EngineFaults", e);
        }
    }

    /** A stall that lasts until {@link #close()}, which lets the engine go on as it was. */
    public static final class Stall implements AutoCloseable {
        private final Engine engine;
        private final CountDownLatch released = new CountDownLatch(1);
        private final CountDownLatch caught = new CountDownLatch(1);

        private Stall(Engine engine) {
            this.engine = engine;
        }

        /** Whether the engine's thread is held now. */
        public boolean holding() {
            return caught.getCount() == 0;
        }

        @Override
        public void close() {
            engine.cluster(ClusterView.NONE);
            released.countDown();
        }
    }

    /** Holds the engine's thread at its next tick, until the stall is closed. */
    public static Stall stall(Engine engine) {
        Stall stall = new Stall(engine);
        engine.cluster(new ClusterView() {
            @Override
            public PodDirectory pods() {
                return PodDirectory.EMPTY;
            }

            @Override
            public RemoteClassifier classifier() {
                stall.caught.countDown();
                try {
                    stall.released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return RemoteClassifier.NONE;
            }
        });
        return stall;
    }

    /** Ends the engine's thread at its next tick with {@code error}. */
    public static void kill(Engine engine, Error error) {
        engine.cluster(new ClusterView() {
            @Override
            public PodDirectory pods() {
                return PodDirectory.EMPTY;
            }

            @Override
            public RemoteClassifier classifier() {
                throw error;
            }
        });
    }
}
