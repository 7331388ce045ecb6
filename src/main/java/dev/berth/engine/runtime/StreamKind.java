package dev.berth.engine.runtime;

/** Which stream a chunk of output came from. With a TTY everything is {@link #STDOUT}. */
public enum StreamKind { STDOUT, STDERR }
