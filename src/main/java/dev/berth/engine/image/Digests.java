package dev.berth.engine.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

import dev.berth.engine.EngineException;

/** SHA-256 content digests in the OCI form {@code sha256:<64 lowercase hex>}. */
public final class Digests {
    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

    private Digests() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String of(byte[] data) {
        return format(sha256().digest(data));
    }

    public static String format(byte[] hash) {
        return "sha256:" + HexFormat.of().formatHex(hash);
    }

    /** The 64 hex digits of a validated digest; rejects anything else (digests become file names). */
    public static String hex(String digest) {
        if (digest == null || !SHA256.matcher(digest).matches()) {
            throw new EngineException(EngineException.Reason.UNSUPPORTED, "unsupported_digest",
                    "Digest '" + digest + "' is not supported: Berth accepts sha256 digests only.");
        }
        return digest.substring(7);
    }

    public static boolean isValid(String digest) {
        return digest != null && SHA256.matcher(digest).matches();
    }

    public static void verify(String expected, String actual, String what) {
        if (!expected.equals(actual)) {
            throw new EngineException(EngineException.Reason.INTEGRITY, "digest_mismatch",
                    "Digest mismatch on " + what + ": expected " + expected + " but the content hashes to " + actual
                            + ". The registry served corrupt or tampered data; nothing was stored. Try the pull again "
                            + "or check the registry.");
        }
    }
}
