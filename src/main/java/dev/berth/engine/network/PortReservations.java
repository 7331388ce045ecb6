package dev.berth.engine.network;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.Map;

import dev.berth.engine.EngineException;
import dev.berth.engine.EngineException.Reason;

/**
 * Holds a bound socket for every published port, as Docker does. Packets never reach these sockets (the
 * kernel DNATs them before local delivery); they exist so that no host process can take a published port
 * later and be silently shadowed, and so that binding one tells us whether a host process already holds it.
 * A TCP socket is bound but never accepted from; its backlog is 1.
 */
final class PortReservations implements Closeable {

    private final Map<PortBinding, NetworkChannel> held = new HashMap<>();

    /** Binds {@code b} (port 0 = a free port chosen by the kernel) and returns the binding with the real port. */
    synchronized PortBinding reserve(PortBinding b) {
        NetworkChannel channel = null;
        try {
            InetSocketAddress address = new InetSocketAddress(b.hostIp(), b.hostPort());
            if (b.protocol() == Protocol.TCP) {
                ServerSocketChannel server = ServerSocketChannel.open();
                channel = server;
                server.bind(address, 1);
            } else {
                DatagramChannel datagram = DatagramChannel.open();
                channel = datagram;
                datagram.bind(address);
            }
            int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            PortBinding bound = b.withHostPort(port);
            held.put(bound, channel);
            return bound;
        } catch (BindException e) {
            close(channel);
            throw new EngineException(Reason.CONFLICT, "port_in_use",
                    "Host port " + b.hostIp() + ":" + b.hostPort() + "/" + b.protocol().lower()
                            + " is already in use by a host process (" + e.getMessage()
                            + "). Choose another host port, or stop that process.");
        } catch (IOException e) {
            close(channel);
            throw new EngineException(Reason.INVALID_ARGUMENT, "invalid_port_binding",
                    "Cannot bind host port " + b.hostIp() + ":" + b.hostPort() + "/" + b.protocol().lower() + ": "
                            + e.getMessage() + ". Is " + b.hostIp() + " an address of this host?");
        }
    }

    synchronized void release(PortBinding b) {
        close(held.remove(b));
    }

    synchronized boolean holds(PortBinding b) {
        return held.containsKey(b);
    }

    @Override
    public synchronized void close() {
        held.values().forEach(PortReservations::close);
        held.clear();
    }

    private static void close(NetworkChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
