package dev.berth.engine.runtime;

/** Frame types of the attach socket (engine-native/PROTOCOL.md). */
final class Frames {
    static final int VERSION = 1;
    static final int HEADER = 5;
    static final int MAX_PAYLOAD = 1 << 20;

    /** Client hello flags. */
    static final int HELLO_SCROLLBACK = 1;
    static final int HELLO_PACED = 2;
    static final int HELLO_NO_OUTPUT = 4;

    static final byte HELLO = 'H';
    static final byte STDIN = 'i';
    static final byte CLOSE_STDIN = 'c';
    static final byte RESIZE = 'r';
    static final byte SIGNAL = 's';
    static final byte STDOUT = 'o';
    static final byte STDERR = 'e';
    static final byte LIVE = 'L';
    static final byte EXIT = 'x';
    static final byte ERROR = 'E';

    private Frames() {
    }
}
