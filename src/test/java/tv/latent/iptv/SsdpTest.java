package tv.latent.iptv;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tuner's SSDP announcement, on loopback: alive, an answer to a search for it, byebye. */
class SsdpTest {
    private static String receive(DatagramSocket socket) throws Exception {
        byte[] buffer = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void theTunerAnnouncesItselfAnswersSearchesForItAndSaysGoodbye() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            client.setSoTimeout(10_000);
            String location = "http://127.0.0.1:8080/device.xml";
            Ssdp ssdp = new Ssdp(
                    new DatagramSocket(new InetSocketAddress(loopback, 0)),
                    client.getLocalSocketAddress(),
                    "12345678",
                    location);
            try {
                ssdp.start();
                String alive = receive(client);
                assertThat(alive)
                        .startsWith("NOTIFY * HTTP/1.1\r\n")
                        .contains("NTS: ssdp:alive\r\n", "LOCATION: " + location + "\r\n")
                        .contains("NT: urn:schemas-upnp-org:device:MediaServer:1\r\n");

                // a search for media servers, and one for something else (no answer)
                for (String target : new String[] {"urn:schemas-upnp-org:device:Printer:1", "ssdp:all"}) {
                    byte[] search = ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
                                    + "MX: 1\r\nST: " + target + "\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8);
                    client.send(new DatagramPacket(search, search.length, ssdp.address()));
                }
                String answer = receive(client);
                assertThat(answer)
                        .startsWith("HTTP/1.1 200 OK\r\n")
                        .contains("LOCATION: " + location + "\r\n")
                        .contains("ST: urn:schemas-upnp-org:device:MediaServer:1\r\n")
                        .contains("USN: uuid:" + HdHomeRun.udn("12345678")
                                + "::urn:schemas-upnp-org:device:MediaServer:1");
            } finally {
                ssdp.close();
            }
            assertThat(receive(client)).contains("NTS: ssdp:byebye\r\n");
        }
    }
}
