package dev.berth.terminal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: runs a real program on a real PTY (python3's pty module relays it over pipes; window size changes
 * go through a FIFO and become TIOCSWINSZ + SIGWINCH). Stands in for the engine's attach until containers are wired.
 */
public final class PtyProcess extends GatedSource {
    private static final String RELAY = String.join("\n",
            "import os, pty, sys, select, fcntl, termios, struct, signal",
            "fifo, cols, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])",
            "pid, fd = pty.fork()",
            "if pid == 0:",
            "    os.environ['TERM'] = 'xterm-256color'",
            "    os.execvp(sys.argv[4], sys.argv[4:])",
            // the parent sets every size, the first one too: a slow child can't overwrite a later resize
            "fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))",
            "ctl = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)",
            "pend = b''",
            "ins = [0, fd, ctl]",
            "while True:",
            "    r, _, _ = select.select(ins, [], [])",
            "    if fd in r:",
            "        try:",
            "            d = os.read(fd, 65536)",
            "        except OSError:",
            "            d = b''",
            "        if not d:",
            "            break",
            "        while d:",
            "            n = os.write(1, d)",
            "            d = d[n:]",
            "    if 0 in r:",
            "        d = os.read(0, 65536)",
            "        if not d:",
            "            os.kill(pid, signal.SIGHUP)",
            "            ins.remove(0)",
            "        else:",
            "            os.write(fd, d)",
            "    if ctl in r:",
            "        pend += os.read(ctl, 1024)",
            "        while b'\\n' in pend:",
            "            line, pend = pend.split(b'\\n', 1)",
            "            c, rw = map(int, line.split())",
            "            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rw, c, 0, 0))",
            "_, st = os.waitpid(pid, 0)",
            "sys.exit(os.waitstatus_to_exitcode(st) & 0xff)");

    private final List<String> command;
    private final Path dir;
    private Process process;
    private OutputStream resizes;
    private String pendingSize;
    private Thread reader;

    public PtyProcess(String... command) throws IOException {
        this.command = List.of(command);
        this.dir = Files.createTempDirectory("berth-pty");
    }

    @Override
    public void start(Output output) throws IOException {
        Path fifo = dir.resolve("resize");
        try {
            if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() != 0) throw new IOException("mkfifo failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        List<String> argv = new ArrayList<>(List.of("python3", "-c", RELAY, fifo.toString(), "80", "24"));
        argv.addAll(command);
        process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        OutputStream opened = Files.newOutputStream(fifo); // opens once the relay has opened it for reading
        synchronized (this) {
            resizes = opened;
            if (pendingSize != null) { // a resize that came before the relay listened is not lost
                resizes.write(pendingSize.getBytes(StandardCharsets.US_ASCII));
                resizes.flush();
                pendingSize = null;
            }
        }
        reader = new Thread(() -> {
            byte[] buf = new byte[65536];
            try (InputStream in = process.getInputStream()) {
                int n;
                while (true) {
                    passGate();
                    if ((n = in.read(buf)) <= 0) break;
                    output.data(buf, 0, n);
                }
            } catch (IOException ignored) {
                // closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status = -1;
            try {
                status = process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            output.exited(status);
        }, "pty-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public synchronized void write(byte[] bytes) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(bytes);
        in.flush();
    }

    @Override
    public synchronized void resize(int cols, int rows) throws IOException {
        if (resizes == null) {
            pendingSize = cols + " " + rows + "\n"; // before start: applied as soon as the relay listens
            return;
        }
        resizes.write((cols + " " + rows + "\n").getBytes(StandardCharsets.US_ASCII));
        resizes.flush();
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (resizes != null) resizes.close();
            Files.deleteIfExists(dir.resolve("resize"));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
