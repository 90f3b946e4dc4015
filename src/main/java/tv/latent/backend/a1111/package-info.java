/**
 * A client for AUTOMATIC1111's text2video extension (kabachuha/sd-webui-text2video):
 * {@code GET /t2v/api_version} and {@code POST /t2v/run}, with every scalar as a query parameter
 * and input files as multipart parts, and the videos of the answer decoded from base64 as they
 * arrive.
 *
 * <p>Entry point: {@link tv.latent.backend.a1111.A1111Client}; requests are
 * {@link tv.latent.backend.a1111.T2vRequest}s; failures are
 * {@link tv.latent.backend.a1111.A1111Exception}s whose kind says whether a retry may help. The
 * extension answers 200 with a placeholder video when it fails inside: a
 * {@link tv.latent.backend.a1111.VideoCheck} judges each video before it is accepted.
 *
 * <p>May depend on: {@code tv.latent.backend.http}, Jackson, slf4j and the JDK; on no other
 * LatentTV package.
 */
package tv.latent.backend.a1111;
