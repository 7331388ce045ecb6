package dev.berth.engine.network;

import dev.berth.engine.EngineException;
import dev.berth.engine.EngineException.Reason;

/** An IPv4 subnet such as {@code 172.30.0.0/24}; addresses are held as unsigned 32-bit ints in a long. */
public record Subnet(long base, int prefix) {

    public Subnet {
        if (prefix < 8 || prefix > 30) {
            throw new EngineException(Reason.INVALID_ARGUMENT, "invalid_subnet",
                    "Subnet prefix /" + prefix + " is out of range; use a prefix between /8 and /30.");
        }
        base = base & mask(prefix);
    }

    public static Subnet parse(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0) {
            throw new EngineException(Reason.INVALID_ARGUMENT, "invalid_subnet",
                    "Subnet '" + cidr + "' is not in CIDR form; write it like 172.30.5.0/24.");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new EngineException(Reason.INVALID_ARGUMENT, "invalid_subnet",
                    "Subnet '" + cidr + "' has no numeric prefix length; write it like 172.30.5.0/24.");
        }
        return new Subnet(parseAddress(cidr.substring(0, slash)), prefix);
    }

    public static long parseAddress(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new EngineException(Reason.INVALID_ARGUMENT, "invalid_address",
                    "'" + dotted + "' is not an IPv4 address like 127.0.0.1.");
        }
        long value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                octet = -1;
            }
            if (octet < 0 || octet > 255 || part.isEmpty() || part.length() > 3) {
                throw new EngineException(Reason.INVALID_ARGUMENT, "invalid_address",
                        "'" + dotted + "' is not an IPv4 address like 127.0.0.1.");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    public static String format(long address) {
        return ((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255) + "." + (address & 255);
    }

    static long mask(int prefix) {
        return (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    /** The first usable address is the gateway, as with Docker's bridges. */
    public String gateway() {
        return format(base + 1);
    }

    /** The address at offset {@code i} from the network address. */
    public String address(long i) {
        return format(base + i);
    }

    public boolean contains(long address) {
        return (address & mask(prefix)) == base;
    }

    public boolean overlaps(Subnet other) {
        int shorter = Math.min(prefix, other.prefix);
        return (base & mask(shorter)) == (other.base & mask(shorter));
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }
}
