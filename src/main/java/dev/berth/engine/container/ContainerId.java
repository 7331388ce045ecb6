package dev.berth.engine.container;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Container ids are 64 lowercase hex characters, shown shortened to 12 as Docker does. */
public final class ContainerId {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FULL = Pattern.compile("^[0-9a-f]{64}$");
    private static final Pattern PREFIX = Pattern.compile("^[0-9a-f]{1,64}$");

    private ContainerId() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static boolean isFull(String s) {
        return s != null && FULL.matcher(s).matches();
    }

    public static boolean isPrefix(String s) {
        return s != null && PREFIX.matcher(s).matches();
    }

    public static String shortId(String id) {
        return id.length() <= 12 ? id : id.substring(0, 12);
    }
}
