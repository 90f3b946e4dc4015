/**
 * Programme schedules: a channel's time slots (title, description, theme, style, music mood,
 * daily or on chosen weekdays, in the channel's time zone), what airs at an instant, and the
 * showings over a span of time as a guide lists them. Outside any slot the channel's own theme
 * is the programme. Values and pure functions of time; depends on nothing of LatentTV.
 */
package tv.latent.schedule;
