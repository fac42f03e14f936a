package io.podhogs.testing;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.EventRequest;
import java.util.List;
import java.util.Map;

/**
 * A debugger (JDI) attached to a podhogs JVM of its own, to stall its threads from outside the way
 * only a debugger can: one thread suspended while the others run, or held where it enters a
 * method. The JVM must run with {@link #jvmOption(int)}. Closing detaches, which lets every thread
 * the debugger holds go on.
 */
public final class Debugger implements AutoCloseable {
    private final VirtualMachine vm;

    private Debugger(VirtualMachine vm) {
        this.vm = vm;
    }

    /** The option that makes a JVM listen for a debugger on {@code port} (on 127.0.0.1), without waiting for one. */
    public static String jvmOption(int port) {
        return "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + port;
    }

    public static Debugger attach(int port) throws Exception {
        AttachingConnector connector = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst().orElseThrow();
        Map<String, Connector.Argument> args = connector.defaultArguments();
        args.get("hostname").setValue("127.0.0.1");
        args.get("port").setValue(Integer.toString(port));
        return new Debugger(connector.attach(args));
    }

    /** The live thread named {@code name}. */
    public ThreadReference thread(String name) {
        return vm.allThreads().stream().filter(t -> name.equals(nameOf(t))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no thread " + name + " in "
                        + vm.allThreads().stream().map(Debugger::nameOf).toList()));
    }

    /** A thread's name; null for one that ended and was collected while the list was read (a short-lived helper's). */
    private static String nameOf(ThreadReference t) {
        try {
            return t.name();
        } catch (com.sun.jdi.ObjectCollectedException e) {
            return null;
        }
    }

    /** Suspends one thread; the others run on. */
    public void suspend(String name) {
        thread(name).suspend();
    }

    public void resume(String name) {
        thread(name).resume();
    }

    /**
     * Ends the thread named {@code name} with a {@code StackOverflowError(message)} thrown into it
     * where it next enters {@code method} of {@code className}, as an Error from deep inside what it
     * runs would end it. A method of Java code, not any method: an Error installed while the thread
     * is on its way into a park or a native call may never be delivered (HotSpot defers it), and the
     * thread then goes on with only the interrupt that came with it.
     */
    public void kill(String name, String className, String method, String message) throws Exception {
        ThreadReference target = thread(name);
        List<BreakpointRequest> requests = new java.util.ArrayList<>();
        for (ReferenceType type : vm.classesByName(className)) {
            for (Method m : type.methodsByName(method)) {
                BreakpointRequest request = vm.eventRequestManager().createBreakpointRequest(m.location());
                request.addThreadFilter(target);
                request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                request.enable();
                requests.add(request);
            }
        }
        if (requests.isEmpty()) {
            throw new IllegalStateException(className + "." + method + " is not loaded");
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            com.sun.jdi.event.EventSet events = vm.eventQueue().remove(1000);
            if (events == null) {
                continue;
            }
            for (com.sun.jdi.event.Event event : events) {
                if (event instanceof com.sun.jdi.event.BreakpointEvent e && e.thread().equals(target)) {
                    vm.eventRequestManager().deleteEventRequests(requests);
                    com.sun.jdi.ClassType type = (com.sun.jdi.ClassType) vm.classesByName("java.lang.StackOverflowError").get(0);
                    Method constructor = type.concreteMethodByName("<init>", "(Ljava/lang/String;)V");
                    com.sun.jdi.ObjectReference error = type.newInstance(target, constructor,
                            List.of(vm.mirrorOf(message)), com.sun.jdi.ClassType.INVOKE_SINGLE_THREADED);
                    target.stop(error);
                    events.resume();
                    return;
                }
            }
            events.resume();
        }
        throw new IllegalStateException(name + " entered " + className + "." + method + " in no 30 s");
    }

    /** Holds every thread that enters {@code method} of {@code className} from now on, until {@link #close()}. */
    public void hold(String className, String method) {
        List<ReferenceType> types = vm.classesByName(className);
        if (types.isEmpty()) {
            throw new IllegalStateException(className + " is not loaded");
        }
        for (ReferenceType type : types) {
            for (Method m : type.methodsByName(method)) {
                BreakpointRequest request = vm.eventRequestManager().createBreakpointRequest(m.location());
                request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                request.enable();
            }
        }
    }

    @Override
    public void close() {
        try {
            vm.dispose();
        } catch (RuntimeException e) {
            // the JVM is gone already
        }
    }
}
