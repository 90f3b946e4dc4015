// Starts node-media-server as a plain RTMP server on 127.0.0.1 for LatentTV's push tests.
// Usage: node rtmp-server.js PORT DATA_DIR
const NodeMediaServer = require("node-media-server");

const port = Number(process.argv[2]);
const dataDir = process.argv[3];
if (!Number.isInteger(port) || port <= 0 || !dataDir) {
  console.error("usage: node rtmp-server.js PORT DATA_DIR");
  process.exit(2);
}
const server = new NodeMediaServer({
  bind: "127.0.0.1",
  rtmp: { port, chunk_size: 60000, gop_cache: true, ping: 30, ping_timeout: 60 },
  store: { path: dataDir },
});
server.run();
const stop = () => server.stop().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
