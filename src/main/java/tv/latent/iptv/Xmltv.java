package tv.latent.iptv;

import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes an XMLTV guide (xmltv.dtd): the channels, then every channel's programmes, in the DTD's
 * element order, times in UTC ({@code 20261201213000 +0000}). Text is escaped by the XML writer;
 * characters XML 1.0 cannot carry are dropped first.
 */
final class Xmltv {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss '+0000'").withZone(ZoneOffset.UTC);

    private Xmltv() {}

    /**
     * @param icons each channel's picture URL (by channel id), where it has one
     * @param programmes each channel's entries (by channel id), oldest first
     */
    static void write(
            Writer out,
            String base,
            List<TunedChannel> channels,
            Map<String, String> icons,
            Map<String, List<Programme>> programmes)
            throws XMLStreamException {
        XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
        xml.writeStartDocument("UTF-8", "1.0");
        xml.writeCharacters("\n");
        xml.writeDTD("<!DOCTYPE tv SYSTEM \"xmltv.dtd\">");
        xml.writeCharacters("\n");
        xml.writeStartElement("tv");
        xml.writeAttribute("generator-info-name", "LatentTV");
        xml.writeAttribute("source-info-name", "LatentTV");
        xml.writeAttribute("source-info-url", base + "/");
        xml.writeCharacters("\n");
        for (TunedChannel channel : channels) {
            xml.writeStartElement("channel");
            xml.writeAttribute("id", channel.guideId());
            element(xml, "display-name", channel.number() + " " + channel.title());
            element(xml, "display-name", Integer.toString(channel.number()));
            element(xml, "display-name", channel.title());
            String icon = icons.get(channel.id());
            if (icon != null) {
                xml.writeEmptyElement("icon");
                xml.writeAttribute("src", icon);
            }
            element(xml, "url", base + "/watch/" + channel.id());
            xml.writeEndElement();
            xml.writeCharacters("\n");
        }
        for (TunedChannel channel : channels) {
            for (Programme p : programmes.getOrDefault(channel.id(), List.of())) {
                programme(xml, base, channel, p);
            }
        }
        xml.writeEndElement();
        xml.writeCharacters("\n");
        xml.writeEndDocument();
        xml.flush();
    }

    private static void programme(XMLStreamWriter xml, String base, TunedChannel channel, Programme p)
            throws XMLStreamException {
        xml.writeStartElement("programme");
        xml.writeAttribute("start", time(p.start()));
        xml.writeAttribute("stop", time(p.end()));
        xml.writeAttribute("channel", channel.guideId());
        element(xml, "title", p.title());
        element(xml, "sub-title", p.subTitle());
        element(xml, "desc", p.description());
        element(xml, "category", p.category());
        if (p.iconClip().isPresent()) {
            xml.writeEmptyElement("icon");
            xml.writeAttribute("src", base + "/thumbs/" + p.iconClip().get() + ".jpg");
        }
        xml.writeStartElement("episode-num");
        xml.writeAttribute("system", "xmltv_ns");
        xml.writeCharacters(p.xmltvNs());
        xml.writeEndElement();
        xml.writeStartElement("episode-num");
        xml.writeAttribute("system", "onscreen");
        xml.writeCharacters(p.onScreen());
        xml.writeEndElement();
        if (p.fresh().isPresent()) {
            xml.writeEmptyElement(p.fresh().get() ? "new" : "previously-shown");
        }
        xml.writeEndElement();
        xml.writeCharacters("\n");
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(printable(text));
        xml.writeEndElement();
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** {@code text} without the characters XML 1.0 forbids (controls other than tab and newlines, lone surrogates). */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints()
                .filter(c -> c == 0x9
                        || c == 0xA
                        || c == 0xD
                        || (c >= 0x20 && c <= 0xD7FF)
                        || (c >= 0xE000 && c <= 0xFFFD)
                        || c >= 0x10000)
                .forEach(out::appendCodePoint);
        return out.toString();
    }
}
