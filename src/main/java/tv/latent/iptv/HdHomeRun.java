package tv.latent.iptv;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The answers of an emulated HDHomeRun network tuner, as Plex, Jellyfin, Emby and Channels DVR
 * ask for them when a tuner is added by address: {@code discover.json}, {@code lineup.json},
 * {@code lineup_status.json} and the UPnP {@code device.xml}. Keys are PascalCase exactly as the
 * clients read them; lineup URLs carry no query string (Plex appends its own).
 */
final class HdHomeRun {
    static final String MANUFACTURER = "Silicondust";
    static final String MODEL = "HDTC-2US";
    static final String FIRMWARE = "hdhomeruntc_atsc";
    static final String FIRMWARE_VERSION = "20240101";

    private HdHomeRun() {}

    static Map<String, Object> discover(String base, String deviceId, String name, int tuners) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("FriendlyName", name);
        out.put("Manufacturer", MANUFACTURER);
        out.put("ModelNumber", MODEL);
        out.put("FirmwareName", FIRMWARE);
        out.put("FirmwareVersion", FIRMWARE_VERSION);
        out.put("DeviceID", deviceId);
        out.put("DeviceAuth", "latenttv" + deviceId.toLowerCase(java.util.Locale.ROOT));
        out.put("BaseURL", base);
        out.put("LineupURL", base + "/lineup.json");
        out.put("TunerCount", tuners);
        return out;
    }

    static List<Map<String, Object>> lineup(String base, List<TunedChannel> channels) {
        return channels.stream()
                .map(c -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("GuideNumber", Integer.toString(c.number()));
                    entry.put("GuideName", c.title());
                    entry.put("URL", M3u.streamUrl(base, c.id()));
                    return entry;
                })
                .toList();
    }

    static Map<String, Object> lineupStatus() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ScanInProgress", 0);
        out.put("ScanPossible", 1);
        out.put("Source", "Cable");
        out.put("SourceList", List.of("Cable"));
        return out;
    }

    /** The UPnP root device description. */
    static String deviceXml(String base, String deviceId, String name) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("root");
            xml.writeDefaultNamespace("urn:schemas-upnp-org:device-1-0");
            xml.writeStartElement("specVersion");
            element(xml, "major", "1");
            element(xml, "minor", "0");
            xml.writeEndElement();
            element(xml, "URLBase", base);
            xml.writeStartElement("device");
            element(xml, "deviceType", "urn:schemas-upnp-org:device:MediaServer:1");
            element(xml, "friendlyName", name);
            element(xml, "manufacturer", MANUFACTURER);
            element(xml, "modelName", MODEL);
            element(xml, "modelNumber", MODEL);
            element(xml, "serialNumber", deviceId);
            element(xml, "UDN", "uuid:" + udn(deviceId));
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing device.xml: " + e.getMessage(), e);
        }
        return text.toString();
    }

    /** The device's UPnP identity: the same for the same DeviceID. */
    static UUID udn(String deviceId) {
        return UUID.nameUUIDFromBytes(("latenttv-hdhomerun-" + deviceId).getBytes(StandardCharsets.UTF_8));
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(Xmltv.printable(text));
        xml.writeEndElement();
    }
}
