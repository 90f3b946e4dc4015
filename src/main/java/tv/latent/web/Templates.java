package tv.latent.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * The pages' templates ({@code src/main/jte/*.jte}), compiled into classes of this package at
 * build time (a template that does not compile fails the build). Every value a template writes is
 * HTML-escaped for where it lands (text, attribute, URL); nothing is HTML by concatenation.
 *
 * <pre>{@code
 * String html = Templates.render("watch.jte", new Views.Watch(chrome, "Nature"));
 * }</pre>
 *
 * <p>Thread-safe.
 */
final class Templates {
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(
            null, ContentType.Html, Templates.class.getClassLoader(), Templates.class.getPackageName());

    private Templates() {}

    /** The template {@code name} rendered with its parameters, by name (a fragment that takes several). */
    static String render(String name, java.util.Map<String, Object> params) {
        StringOutput out = new StringOutput(4096);
        ENGINE.render(name, params, out);
        return out.toString();
    }

    /** The template {@code name} rendered with its one parameter, {@code view}. */
    static String render(String name, Object view) {
        StringOutput out = new StringOutput(4096);
        ENGINE.render(name, view, out);
        return out.toString();
    }
}
