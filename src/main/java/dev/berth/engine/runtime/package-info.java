/**
 * Starts container processes under the native monitor ({@code engine-native/berth-monitor}) and talks to it over
 * unix sockets.
 *
 * <pre>{@code
 * ContainerRuntime runtime = new NativeRuntime(MonitorBinary.install(engineRoot));
 * RunningProcess p = runtime.start(RuntimeSpec.builder(id, stateDir)
 *         .rootfs(layersTopFirst, upper, work).args("sh").tty(true).openStdin(true).build());
 * Attachment a = p.attach(listener, true);
 * ExitStatus s = p.exit().join();
 * }</pre>
 *
 * An attachment is read by a thread of its own, or by a server's event loop ({@link dev.berth.engine.runtime.ReadLoop},
 * {@code p.attach(listener, true, loop)}): then the listener runs on that loop and writes never wait.
 *
 * Wire protocol and on-disk files: engine-native/PROTOCOL.md.
 */
package dev.berth.engine.runtime;
