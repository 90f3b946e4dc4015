package tv.latent.iptv;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the emulated HDHomeRun tuner on the local network (SSDP, UPnP's discovery): a
 * {@code NOTIFY ssdp:alive} when it starts and every {@link #ANNOUNCE_EVERY}, an answer to each
 * {@code M-SEARCH} for it, and {@code ssdp:byebye} when it stops. Media centers that look for
 * tuners then list it by themselves; without it they add the tuner by address.
 *
 * <pre>{@code
 * try (Ssdp ssdp = Ssdp.onLocalNetwork(room.deviceId(), base + "/device.xml")) {
 *   ssdp.start();
 * }
 * }</pre>
 *
 * <p>Runs one virtual thread; every datagram it reads is at most {@link #MAX_DATAGRAM} bytes.
 * Thread-safe; {@link #close()} is idempotent and bounded.
 */
public final class Ssdp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ssdp.class);
    static final InetSocketAddress GROUP = new InetSocketAddress("239.255.255.250", 1900);
    static final Duration ANNOUNCE_EVERY = Duration.ofMinutes(10);
    static final int MAX_AGE_SECONDS = 1800;
    static final int MAX_DATAGRAM = 2048;
    static final String DEVICE_TYPE = "urn:schemas-upnp-org:device:MediaServer:1";

    private final DatagramSocket socket;
    private final SocketAddress announceTo;
    private final String uuid;
    private final String location;
    private Thread thread;
    private boolean closed;

    /**
     * @param socket where searches arrive and answers leave
     * @param announceTo where NOTIFY messages go (the SSDP group on a network)
     */
    Ssdp(DatagramSocket socket, SocketAddress announceTo, String deviceId, String location) {
        this.socket = socket;
        this.announceTo = announceTo;
        this.uuid = "uuid:" + HdHomeRun.udn(deviceId);
        this.location = location;
    }

    /** An announcer on UDP 1900, in the SSDP multicast group of the default interface. */
    public static Ssdp onLocalNetwork(String deviceId, String location) throws IOException {
        MulticastSocket socket = new MulticastSocket(GROUP.getPort());
        socket.joinGroup(GROUP, null);
        return new Ssdp(socket, GROUP, deviceId, location);
    }

    /** Announces the tuner and starts answering searches. */
    public synchronized void start() {
        if (thread != null || closed) {
            return;
        }
        thread = Thread.ofVirtual().name("ssdp").start(this::run);
    }

    private void run() {
        long nextAnnounce = 0;
        byte[] buffer = new byte[MAX_DATAGRAM];
        try {
            socket.setSoTimeout(1000);
        } catch (IOException e) {
            LOG.warn("SSDP: {}", e.toString());
            return;
        }
        while (!isClosed()) {
            try {
                if (System.nanoTime() - nextAnnounce >= 0) {
                    notify("ssdp:alive");
                    nextAnnounce = System.nanoTime() + ANNOUNCE_EVERY.toNanos();
                }
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                String target = searchTarget(text);
                if (target != null) {
                    send(answer(target), packet.getSocketAddress());
                }
            } catch (SocketTimeoutException e) {
                // a second without a search: time to see whether to announce again
            } catch (IOException e) {
                if (!isClosed()) {
                    LOG.warn("SSDP: {}", e.toString());
                }
            }
        }
    }

    /** The search target an {@code M-SEARCH} asks for, when it is one this tuner answers; else null. */
    String searchTarget(String message) {
        String[] lines = message.split("\r?\n");
        if (lines.length == 0 || !lines[0].strip().toUpperCase(Locale.ROOT).startsWith("M-SEARCH ")) {
            return null;
        }
        String target = null;
        boolean discover = false;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toUpperCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (name.equals("ST")) {
                target = value;
            } else if (name.equals("MAN")) {
                discover = value.replace("\"", "").equalsIgnoreCase("ssdp:discover");
            }
        }
        if (!discover || target == null) {
            return null;
        }
        if (target.equals("ssdp:all")) {
            return DEVICE_TYPE;
        }
        return Set.of("upnp:rootdevice", DEVICE_TYPE, uuid).contains(target) ? target : null;
    }

    private String answer(String target) {
        return "HTTP/1.1 200 OK\r\n"
                + "CACHE-CONTROL: max-age=" + MAX_AGE_SECONDS + "\r\n"
                + "EXT:\r\n"
                + "LOCATION: " + location + "\r\n"
                + "SERVER: LatentTV/0.1 UPnP/1.0 HDHomeRun/1.0\r\n"
                + "ST: " + target + "\r\n"
                + "USN: " + usn(target) + "\r\n"
                + "\r\n";
    }

    private void notify(String kind) throws IOException {
        send(
                "NOTIFY * HTTP/1.1\r\n"
                        + "HOST: 239.255.255.250:1900\r\n"
                        + "CACHE-CONTROL: max-age=" + MAX_AGE_SECONDS + "\r\n"
                        + "LOCATION: " + location + "\r\n"
                        + "NT: " + DEVICE_TYPE + "\r\n"
                        + "NTS: " + kind + "\r\n"
                        + "SERVER: LatentTV/0.1 UPnP/1.0 HDHomeRun/1.0\r\n"
                        + "USN: " + usn(DEVICE_TYPE) + "\r\n"
                        + "\r\n",
                announceTo);
    }

    private String usn(String target) {
        return target.equals(uuid) ? uuid : uuid + "::" + target;
    }

    private void send(String message, SocketAddress to) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Says goodbye on the network, stops answering and closes the socket; bounded. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
        }
        try {
            notify("ssdp:byebye");
        } catch (IOException e) {
            LOG.debug("SSDP byebye: {}", e.toString());
        }
        socket.close();
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The address searches reach this announcer at. */
    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    }
}
